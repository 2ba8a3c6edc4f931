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
import org.hiddenactivity.data.Dataset;

/**
 * Runs a checkpoint over a dataset in onnxruntime and collects the hidden layers' activations: the graph is
 * rewritten so the layer tensors are outputs, and all layers come from one pass, in batches.
 */
public final class ActivationExtractor {
    /** Observations per onnxruntime call when the model's batch dimension is dynamic. */
    public static final int DEFAULT_BATCH = 500;

    private final int batchSize;

    public ActivationExtractor() {
        this(DEFAULT_BATCH);
    }

    public ActivationExtractor(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** Every analysed hidden layer of {@code cp} over {@code data}, normalised as the series says. */
    public CheckpointActivations extract(ModelSeries series, Checkpoint cp, Dataset data, Progress progress) {
        return extract(series, cp, data, series.hiddenLayers(), progress);
    }

    /**
     * The given layers of {@code cp} over {@code data}. Fails (no partial result) on a model whose input does not
     * fit the data, or on NaN/infinite activations.
     */
    public CheckpointActivations extract(ModelSeries series, Checkpoint cp, Dataset data, List<HiddenLayer> layers,
                                         Progress progress) {
        if (layers.isEmpty()) {
            series.layer(1); // throws the "no hidden layers" explanation
        }
        OnnxGraph g = OnnxGraph.read(cp.path());
        checkSha(cp);
        String modelName = cp.path().toString();
        OnnxMl.ValueInfoProto input = g.dataInput();
        int elemType = input.getType().getTensorType().getElemType();
        if (elemType != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new HavException(modelName, "the model input '" + input.getName() + "' has element type "
                    + OnnxMl.TensorProto.DataType.forNumber(elemType) + ", not float32",
                    "export the model with a float32 image input");
        }
        InputFit fit = InputFit.of(OnnxGraph.dims(input), data, modelName, series.flatInputIsHwc());
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
        int batch = fit.fixedBatch > 0 ? fit.fixedBatch : batchSize;
        float[][] values = new float[layers.size()][];
        int[] units = new int[layers.size()];
        int[] predicted = new int[n];
        float[] row = new float[d];
        try (OrtSession session = OrtSessions.create(rewritten, cp.path())) {
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
                        float[] got = floats(r.get(layer.tensor()).orElseThrow(), rows, modelName, layer.tensor());
                        int u = got.length / rows;
                        if (values[li] == null) {
                            units[li] = u;
                            values[li] = new float[Math.multiplyExact(n, u)];
                        }
                        for (int k = 0; k < b * u; k++) {
                            float v = got[k];
                            if (!Float.isFinite(v)) {
                                throw new HavException(modelName, "hidden " + layer + " is " + v + " for observation "
                                        + (start + k / u) + " of " + data.name() + " (unit " + (k % u) + ")",
                                        "the checkpoint has diverged (NaN or infinite weights) or the input "
                                                + "normalisation is wrong; use another epoch or re-export the model");
                            }
                        }
                        System.arraycopy(got, 0, values[li], start * u, b * u);
                    }
                    float[] out = floats(r.get(output).orElseThrow(), rows, modelName, output);
                    int classes = out.length / rows;
                    for (int i = 0; i < b; i++) {
                        predicted[start + i] = argmax(out, i * classes, classes);
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
        for (int li = 0; li < layers.size(); li++) {
            matrices.add(n == 0 ? FloatMatrix.zeros(0, Math.max(layers.get(li).units(), 0))
                    : new FloatMatrix(n, units[li], values[li]));
        }
        return new CheckpointActivations(cp, List.copyOf(layers), List.copyOf(matrices), predicted);
    }

    private static void checkSha(Checkpoint cp) {
        if (cp.manifestSha256() == null) {
            return;
        }
        if (!cp.sha256().equalsIgnoreCase(cp.manifestSha256())) {
            throw new HavException(cp.path().toString(), "SHA-256 " + cp.sha256() + " differs from the manifest's "
                    + cp.manifestSha256(), "the file changed after the manifest was written; restore it or update"
                    + " the manifest");
        }
    }

    /** A tensor's values as floats, checking its batch dimension. */
    private static float[] floats(OnnxValue value, int rows, String model, String name) throws OrtException {
        if (!(value instanceof OnnxTensor tensor) || !(value.getInfo() instanceof TensorInfo info)) {
            throw new HavException(model, "output '" + name + "' is not a tensor", "choose tensor outputs");
        }
        long[] shape = info.getShape();
        if (shape.length == 0 || shape[0] != rows) {
            throw new HavException(model, "tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + ", expected the batch of " + rows + " first", "choose a per-observation tensor");
        }
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer fb = tensor.getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
            case DOUBLE -> {
                DoubleBuffer db = tensor.getDoubleBuffer();
                float[] out = new float[db.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) db.get(i);
                }
                return out;
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
