package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.data.Dataset;

/**
 * Runs a checkpoint over a dataset in onnxruntime and collects the hidden layers' activations: the graph is
 * rewritten so the layer tensors are outputs, and all layers come from one pass, in batches.
 */
public final class ActivationExtractor {
    /** Observations per onnxruntime call when the model's batch dimension is dynamic. */
    public static final int DEFAULT_BATCH = 500;
    /** Input values of one onnxruntime call at most (1 GiB of floats): a fixed batch above it is refused. */
    static final int MAX_BATCH_VALUES = 1 << 28;

    private final int batchSize;
    private final OrtSessionSource sessions;

    public ActivationExtractor() {
        this(DEFAULT_BATCH);
    }

    public ActivationExtractor(int batchSize) {
        this(batchSize, OrtSessionSource.PER_EXTRACTION);
    }

    /** With sessions from {@code sessions} (a shared one per model in a Spark executor). */
    public ActivationExtractor(int batchSize, OrtSessionSource sessions) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        this.batchSize = batchSize;
        this.sessions = sessions;
    }

    /** Every analysed hidden layer of {@code cp} over {@code data}, normalised as the series says. */
    public CheckpointActivations extract(ModelSeries series, Checkpoint cp, Dataset data, Progress progress) {
        return extract(series, cp, data, series.hiddenLayers(), progress);
    }

    /**
     * The given layers of {@code cp} over {@code data}. Fails (no partial result) on a model whose input does not
     * fit the data, whose output is not [N, classes], whose tensors change width between batches, or on NaN or
     * infinite values. Feature maps are reduced to one unit per channel (the mean over the positions) unless the
     * series counts every position ({@link ConvUnits#POSITION}).
     */
    public CheckpointActivations extract(ModelSeries series, Checkpoint cp, Dataset data, List<HiddenLayer> layers,
                                         Progress progress) {
        if (layers.isEmpty()) {
            throw series.noLayers();
        }
        OnnxGraph g = OnnxGraph.read(cp.path());
        checkSha(cp);
        String modelName = cp.path().toString();
        OnnxMl.ValueInfoProto input = checkedInput(g, modelName);
        InputFit fit = InputFit.of(OnnxGraph.dims(input), data, modelName, series.channelsLast());
        Normalisation norm = series.normalisation();
        norm.checkChannels(data.channels(), modelName);
        String output = series.outputTensor() != null ? series.outputTensor() : g.finalOutput();
        LinkedHashSet<String> wanted = new LinkedHashSet<>();
        layers.forEach(l -> wanted.add(l.tensor()));
        wanted.add(output);
        byte[] rewritten = g.withOutputs(new ArrayList<>(wanted));

        int n = data.size();
        int c = data.channels();
        int hw = data.height() * data.width();
        int d = data.features();
        int batch = fit.fixedBatch > 0 ? fit.fixedBatch : Math.max(1, Math.min(batchSize, MAX_BATCH_VALUES / d));
        if ((long) batch * d > MAX_BATCH_VALUES) {
            throw new HavException(modelName, "the model's batch size is fixed at " + fit.fixedBatch + " (one batch"
                    + " would hold " + (long) batch * d + " input values)", "export it with a dynamic batch dimension"
                    + " (torch.onnx.export(..., dynamic_axes={'input': {0: 'batch'}})) or a batch of at most "
                    + MAX_BATCH_VALUES / d);
        }
        int classes = data.classNames().size();
        float[][] values = new float[layers.size()][];
        int[] units = new int[layers.size()];
        int[] predicted = new int[n];
        float[] scores = new float[Math.multiplyExact(n, classes)];
        float[] row = new float[d];
        try (OrtSessionSource.Lease lease = sessions.open(rewritten, cp.path())) {
            OrtSession session = lease.session();
            for (int start = 0; start < n; start += batch) {
                int b = Math.min(batch, n - start);
                // a model with a fixed batch size gets zero-padded final batches; the padding rows are dropped
                int rows = fit.fixedBatch > 0 ? fit.fixedBatch : b;
                float[] in = new float[rows * d];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(data.images().data(), (start + i) * d, row, 0, d);
                    norm.apply(row, 0, c, hw);
                    fit.put(row, c, hw, in, i * d);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(OrtSessions.env(), FloatBuffer.wrap(in), fit.shape(rows));
                     OrtSession.Result r = session.run(Map.of(input.getName(), t), wanted)) {
                    for (int li = 0; li < layers.size(); li++) {
                        HiddenLayer layer = layers.get(li);
                        Values got = values(r.get(layer.tensor()).orElseThrow(), rows, modelName, layer.tensor(),
                                g.batchAxis(layer.tensor()));
                        float[] perRow = unitsOf(got, layer, series.convUnits(), modelName);
                        int u = perRow.length / rows;
                        if (values[li] == null) {
                            checkWidth(layer, u, cp, series);
                            units[li] = u;
                            values[li] = new float[Math.multiplyExact(n, u)];
                        } else if (u != units[li]) {
                            throw new HavException(modelName, "tensor '" + layer.tensor() + "' has " + u + " values"
                                    + " per observation in one batch and " + units[li] + " in another",
                                    "analyse a tensor whose shape does not depend on the batch");
                        }
                        for (int k = 0; k < b * u; k++) {
                            float v = perRow[k];
                            if (!Float.isFinite(v)) {
                                throw new HavException(modelName, "hidden " + layer + " is " + v + " for observation "
                                        + (start + k / u) + " of " + data.name() + " (unit " + (k % u) + ")",
                                        "the checkpoint has diverged (NaN or infinite weights) or the input "
                                                + "normalisation is wrong; use another epoch or re-export the model");
                            }
                        }
                        System.arraycopy(perRow, 0, values[li], start * u, b * u);
                    }
                    Values out = values(r.get(output).orElseThrow(), rows, modelName, output, 0);
                    checkOutput(out, classes, data, modelName, output);
                    for (int i = 0; i < b; i++) {
                        for (int k = 0; k < classes; k++) {
                            if (!Float.isFinite(out.data()[i * classes + k])) {
                                throw new HavException(modelName, "output '" + output + "' is "
                                        + out.data()[i * classes + k] + " for observation " + (start + i),
                                        "the checkpoint has diverged or the input normalisation is wrong; use another"
                                                + " epoch or check --mean/--std");
                            }
                        }
                        predicted[start + i] = argmax(out.data(), i * classes, classes);
                        System.arraycopy(out.data(), i * classes, scores, (start + i) * classes, classes);
                    }
                }
                progress.step(start + b);
            }
        } catch (OrtException e) {
            throw new HavException(modelName, "onnxruntime failed while running the model (" + e.getMessage() + ")",
                    "check that the model runs on " + InputFit.render(fit.shape(batch)) + " inputs",
                    HavException.EXIT_RUNTIME, e);
        }
        List<FloatMatrix> matrices = new ArrayList<>();
        List<HiddenLayer> measured = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            matrices.add(n == 0 ? FloatMatrix.zeros(0, Math.max(layers.get(li).units(), 0))
                    : new FloatMatrix(n, units[li], values[li]));
            measured.add(n == 0 ? layers.get(li) : layers.get(li).withUnits(units[li]));
        }
        return new CheckpointActivations(cp, List.copyOf(measured), List.copyOf(matrices), predicted,
                new FloatMatrix(n, classes, scores));
    }

    /** The float32 data input, or a clear error. */
    static OnnxMl.ValueInfoProto checkedInput(OnnxGraph g, String modelName) {
        OnnxMl.ValueInfoProto input = g.dataInput();
        if (input.getName().indexOf('\0') >= 0) {
            throw g.nulName(input.getName());
        }
        int elemType = input.getType().getTensorType().getElemType();
        if (elemType != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new HavException(modelName, "the model input '" + input.getName() + "' has element type "
                    + OnnxMl.TensorProto.DataType.forNumber(elemType) + ", not float32",
                    "export the model with a float32 image input");
        }
        return input;
    }

    /** A layer whose width differs from the one the series was set up with: checkpoints of different networks. */
    private static void checkWidth(HiddenLayer layer, int u, Checkpoint cp, ModelSeries series) {
        if (layer.units() > 0 && layer.units() != u) {
            Checkpoint reference = series.checkpoints().get(series.checkpoints().size() - 1);
            throw new HavException(cp.path().toString(), "tensor '" + layer.tensor() + "' has " + u + " units here but "
                    + layer.units() + " in " + reference.path().getFileName() + " (" + reference + ")",
                    "the checkpoints are of different networks; keep one architecture per folder");
        }
    }

    /** The network's output must be [N, classes] of the dataset: anything else means the wrong model or data. */
    private static void checkOutput(Values out, int classes, Dataset data, String modelName, String output) {
        long[] s = out.shape();
        if (s.length != 2 || s[1] != classes) {
            String what = s.length == 2 ? s[1] + " classes" : "shape " + java.util.Arrays.toString(s);
            throw new HavException(modelName, "the network's output '" + output + "' has " + what + " but "
                    + data.name() + " has " + classes + " classes", "use the dataset the model was trained on"
                    + " (--dataset, or --images/--targets with --class-names), or name the class-score output in "
                    + ModelSeries.MANIFEST + " \"output\"");
        }
    }

    /** One output tensor's values and shape (batch first). */
    record Values(float[] data, long[] shape) {}

    /**
     * A layer's values per observation: as they are for a [N, units] tensor; for a feature map the mean over the
     * positions of each channel, or every value in the tensor's own order.
     */
    static float[] unitsOf(Values v, HiddenLayer layer, ConvUnits mode, String modelName) {
        long[] s = v.shape();
        if (s.length <= 2 || mode == ConvUnits.POSITION) {
            return v.data();
        }
        int axis = layer.channelAxis();
        if (layer.token() >= 0 && s.length == 3 && axis == 2 && layer.token() >= s[1]) {
            throw new HavException(modelName, "token " + layer.token() + " asked of tensor '" + layer.tensor() + "', which"
                    + " has " + s[1] + " tokens", "give --tokens cls, mean or an index below " + s[1]);
        }
        if (layer.token() >= 0 && s.length == 3 && axis == 2) {
            // a token tensor [N, T, C] read through one token (the CLS token): its C features
            int rows = (int) s[0];
            int t = (int) s[1];
            int ch = (int) s[2];
            float[] out = new float[rows * ch];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(v.data(), (r * t + layer.token()) * ch, out, r * ch, ch);
            }
            return out;
        }
        if (axis < 1 || axis >= s.length) {
            axis = 1;
            Warnings.warnOnce("axis:" + layer.tensor(), modelName + ": the channel axis of tensor '" + layer.tensor()
                    + "' " + java.util.Arrays.toString(s) + " could not be traced; taking axis 1 (NCHW, as ONNX convs"
                    + " are). Use --conv-units position to take every value instead");
        }
        int rows = (int) s[0];
        int channels = (int) s[axis];
        long inner = 1;
        for (int i = axis + 1; i < s.length; i++) {
            inner *= s[i];
        }
        long outer = 1;
        for (int i = 1; i < axis; i++) {
            outer *= s[i];
        }
        long perRow = outer * channels * inner;
        double[] sums = new double[channels];
        float[] out = new float[rows * channels];
        float[] data = v.data();
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(sums, 0);
            long base = r * perRow;
            for (long o = 0; o < outer; o++) {
                for (int ch = 0; ch < channels; ch++) {
                    long at = base + (o * channels + ch) * inner;
                    double sum = 0;
                    for (long k = 0; k < inner; k++) {
                        sum += data[(int) (at + k)];
                    }
                    sums[ch] += sum;
                }
            }
            double positions = (double) outer * inner;
            for (int ch = 0; ch < channels; ch++) {
                out[r * channels + ch] = (float) (sums[ch] / positions);
            }
        }
        return out;
    }

    static void checkSha(Checkpoint cp) {
        if (cp.manifestSha256() == null) {
            return;
        }
        if (!cp.sha256().equalsIgnoreCase(cp.manifestSha256())) {
            throw new HavException(cp.path().toString(), "SHA-256 " + cp.sha256() + " differs from the manifest's "
                    + cp.manifestSha256(), "the file changed after the manifest was written; restore it or update"
                    + " the manifest");
        }
    }

    /** A tensor's values as floats with its shape, checking its batch dimension. */
    private static Values values(OnnxValue value, int rows, String model, String name, int batchAxis)
            throws OrtException {
        if (!(value instanceof OnnxTensor tensor) || !(value.getInfo() instanceof TensorInfo info)) {
            throw new HavException(model, "output '" + name + "' is not a tensor", "choose tensor outputs");
        }
        if (batchAxis > 0 && batchAxis < info.getShape().length && info.getShape()[batchAxis] == rows) {
            // a sequence-first tensor (batch axis traced from the input): analysed batch first
            Values v = values(value, -1, model, name, 0);
            return new Values(BatchFirst.values(v.data(), v.shape(), batchAxis), BatchFirst.shape(v.shape(), batchAxis));
        }
        long[] shape = info.getShape();
        if (shape.length == 0 || rows >= 0 && shape[0] != rows) {
            throw new HavException(model, "tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + ", expected the batch of " + rows + " first", "choose a per-observation tensor");
        }
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer fb = tensor.getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return new Values(out, shape);
            }
            case DOUBLE -> {
                DoubleBuffer db = tensor.getDoubleBuffer();
                float[] out = new float[db.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) db.get(i);
                }
                return new Values(out, shape);
            }
            default -> throw new HavException(model, "tensor '" + name + "' holds " + info.type + " values",
                    "choose a float tensor");
        }
    }

    private static int argmax(float[] v, int offset, int len) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = v[offset + i];
            if (x > bestValue) {
                bestValue = x;
                best = i;
            }
        }
        return best;
    }
}
