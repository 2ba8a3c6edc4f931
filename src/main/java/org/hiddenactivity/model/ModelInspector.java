package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lists the hidden-layer candidates of an ONNX model: what each is, its shape, and whether it is analysed by default. */
public final class ModelInspector {
    /** A zero run feeds one observation; a model whose batch is fixed above this is not run just for shapes. */
    private static final long MAX_PROBE_VALUES = 1L << 26;

    private ModelInspector() {}

    /**
     * Parses the model, finds the candidates and their shapes: from the model's value_info when recorded, else by
     * running one observation of zeros through it (when the input shape is fixed apart from the batch).
     */
    public static ModelInspection inspect(Path onnx) {
        return inspect(onnx, null);
    }

    /**
     * As {@link #inspect(Path)} with {@code classOutput} as the class scores (a series' choice, see
     * {@link ModelSeries#classOutput()}); null: chosen from the graph alone, no class count known.
     */
    public static ModelInspection inspect(Path onnx, ClassOutput classOutput) {
        OnnxGraph g = OnnxGraph.read(onnx);
        ClassOutput co = classOutput != null ? classOutput : ClassOutput.choose(g, null, -1, null);
        g.useClassOutput(co.tensor());
        return inspect(g, null, co);
    }

    /**
     * As {@link #inspect(Path)}; {@code probe} is the per-observation input shape to run zeros with when the model's
     * input dimensions are dynamic (the dataset's, fitted to the input), or null.
     */
    static ModelInspection inspect(OnnxGraph g, long[] probe, ClassOutput classOutput) {
        OnnxMl.ValueInfoProto input = g.dataInput();
        long[] inputShape = OnnxGraph.dims(input);
        String output = g.classOutput();
        List<LayerDiscovery.Found> found = new ArrayList<>(g.candidates());
        List<String> wanted = new ArrayList<>();
        found.forEach(f -> wanted.add(f.tensor()));
        wanted.add(output);
        Shapes shapes = shapes(g, wanted, probe);
        // token tensors [N, T, C] (rank 3, no traced channel axis: from MatMuls, not convs): units are the C features
        int token = g.tokenIndex();
        String tokens = null;
        for (int i = 0; i < found.size(); i++) {
            LayerDiscovery.Found f = found.get(i);
            long[] shape = shapes.of(f.tensor());
            if (shape != null && shape.length == 3 && f.channelAxis() < 0 && !f.sourceOp().startsWith("Conv")) {
                found.set(i, new LayerDiscovery.Found(f.tensor(), f.op(), f.pattern(), f.sourceOp(), f.node(),
                        f.role(), f.insideBlock(), 2, f.pooledFrom()));
                int batch = g.batchAxis(f.tensor());
                tokens = (batch > 0 ? "sequence first [T, N, C] (batch axis " + batch + ", traced from the input),"
                        + " read as [N, T, C]; " : "") + g.tokenReason();
            }
        }
        List<LayerKind> kinds = new ArrayList<>();
        for (LayerDiscovery.Found f : found) {
            kinds.add(kindOf(f, shapes.of(f.tensor())));
        }
        List<LayerDiscovery.Choice> choices = LayerDiscovery.choose(found, kinds);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            LayerDiscovery.Found f = found.get(i);
            boolean isToken = f.channelAxis() == 2 && shapes.of(f.tensor()) != null
                    && shapes.of(f.tensor()).length == 3 && tokens != null;
            boolean nul = f.tensor().indexOf('\0') >= 0;
            candidates.add(new Candidate(i + 1, f.tensor(), kinds.get(i), f.pattern(), f.op(), f.sourceOp(), f.node(),
                    shapes.of(f.tensor()), f.channelAxis(), f.insideBlock(), !nul && choices.get(i).analysed(),
                    nul ? "its name has a NUL character, which onnxruntime cannot return: rename the tensor in the"
                    + " model" : choices.get(i).reason(), isToken ? token : -1));
        }
        return new ModelInspection(g.file, input.getName(), inputShape, output, shapes.of(output),
                List.copyOf(candidates), found.isEmpty() ? "no candidates" : shapes.from(), tokens,
                g.excluded(), classOutput);
    }

    /**
     * One tensor of the graph as {@code hav inspect --all} lists it.
     *
     * @param tensor its name
     * @param op     the op producing it ("input" for the graph input)
     * @param shape  its shape (batch first, -1 where dynamic), or null when unknown
     * @param status why it is or is not a candidate
     */
    public record TensorRow(String tensor, String op, long[] shape, String status) {}

    /**
     * Every tensor a node produces (constants left out), with op, shape and why it is or is not a candidate. Shapes
     * come from value_info, or from a run on zeros when the graph has at most {@code maxRun} nodes.
     */
    public static List<TensorRow> everyTensor(Path onnx, ModelInspection in, int maxRun) {
        OnnxGraph g = OnnxGraph.read(onnx);
        LayerDiscovery d = LayerDiscovery.of(g.graph(), g.recordedShapes(), in.output());
        List<String> names = new ArrayList<>();
        Map<String, String> ops = new HashMap<>();
        for (OnnxMl.NodeProto n : g.graph().getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && !d.isConstant(o)) {
                    names.add(o);
                    ops.put(o, n.getOpType());
                }
            }
        }
        Map<String, String> excluded = new HashMap<>();
        in.excluded().forEach(e -> excluded.put(e.tensor(), e.reason()));
        Shapes shapes = g.graph().getNodeCount() <= maxRun ? shapes(g, names, null)
                : new Shapes(g.recordedShapes(), "value_info");
        List<TensorRow> rows = new ArrayList<>();
        for (String t : names) {
            Candidate c = in.candidate(t);
            String status;
            if (c != null) {
                status = "candidate " + c.number() + " (" + c.kind().id() + ", " + c.pattern() + "): "
                        + (c.analysed() ? "analysed by default, " : "not analysed by default: ") + c.reason();
            } else if (excluded.containsKey(t)) {
                status = "not a candidate: " + excluded.get(t);
            } else if (t.equals(in.output())) {
                status = "the class scores (" + in.outputReason() + "): the predicted class is its argmax";
            } else {
                status = "not a candidate: " + d.whyNot(t);
            }
            rows.add(new TensorRow(t, ops.get(t), shapes.of(t), status));
        }
        return rows;
    }

    /** The kind of a candidate: by how it was recognised, and for activations by its rank (or its linear op). */
    static LayerKind kindOf(LayerDiscovery.Found f, long[] shape) {
        boolean tokens = f.channelAxis() == 2 && shape != null && shape.length == 3;
        return switch (f.role()) {
            case RESIDUAL_ADD, RESIDUAL_ACTIVATION -> LayerKind.RESIDUAL;
            case GLOBAL_POOL, POOL_BEFORE_FLATTEN -> LayerKind.POOLED;
            case NORM_FEATURES, RECURRENT -> tokens || shape == null || shape.length <= 2 ? LayerKind.DENSE
                    : LayerKind.CONV;
            case ACTIVATION, EXTRA_OUTPUT -> tokens ? LayerKind.DENSE : shape != null ? (shape.length > 2
                    ? LayerKind.CONV : LayerKind.DENSE)
                    : f.sourceOp().startsWith("Conv") || f.sourceOp().equals("QLinearConv") ? LayerKind.CONV
                    : LayerKind.DENSE;
        };
    }

    /** Shapes of some tensors and how they were found. */
    record Shapes(Map<String, long[]> byTensor, String from) {
        long[] of(String tensor) {
            long[] s = byTensor.get(tensor);
            return s == null ? null : s.clone();
        }
    }

    /** The shapes of {@code tensors}: recorded ones, else from one observation of zeros (see {@link #inspect}). */
    static Shapes shapes(OnnxGraph g, Collection<String> tensors, long[] probe) {
        Map<String, long[]> shapes = new HashMap<>(g.recordedShapes());
        boolean missing = tensors.stream().anyMatch(t -> !shapes.containsKey(t));
        if (!missing) {
            return new Shapes(shapes, "value_info");
        }
        String from = runZeros(g, tensors, probe, shapes);
        return new Shapes(shapes, from);
    }

    /** Runs one observation of zeros to learn the shapes; returns how the shapes were found (or why not). */
    private static String runZeros(OnnxGraph g, Collection<String> tensors, long[] probe, Map<String, long[]> shapes) {
        OnnxMl.ValueInfoProto input = g.dataInput();
        long[] inputShape = OnnxGraph.dims(input);
        if (inputShape == null || inputShape.length == 0) {
            return "unknown (the model input has no recorded shape)";
        }
        long[] concrete = inputShape.clone();
        for (int i = 1; i < concrete.length; i++) {
            if (concrete[i] < 0) {
                if (probe == null || probe.length != concrete.length - 1) {
                    return "unknown (input dimension " + i + " is dynamic; shapes appear at extraction)";
                }
                concrete[i] = probe[i - 1];
            }
        }
        if (concrete[0] < 0) {
            concrete[0] = 1;
        }
        long count = 1;
        for (long d : concrete) {
            count = d > 0 && count <= MAX_PROBE_VALUES / d ? count * d : Long.MAX_VALUE;
        }
        if (count > MAX_PROBE_VALUES) {
            return "unknown (one input batch of " + InputFit.render(concrete) + " is too large to run just for shapes)";
        }
        if (input.getType().getTensorType().getElemType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            return "unknown (the model input is not float32)";
        }
        Set<String> wanted = new LinkedHashSet<>(tensors);
        wanted.removeIf(t -> t.indexOf('\0') >= 0); // onnxruntime cannot return them; inspect says so
        if (input.getName().indexOf('\0') >= 0) {
            return "unknown (the input's name has a NUL character)";
        }
        byte[] rewritten = g.withOutputs(new ArrayList<>(wanted));
        try (OrtSession session = OrtSessions.create(rewritten, g.file);
             OnnxTensor zeros = OnnxTensor.createTensor(OrtSessions.env(), FloatBuffer.allocate((int) count), concrete);
             OrtSession.Result result = session.run(Map.of(input.getName(), zeros), wanted)) {
            for (String t : wanted) {
                OnnxValue v = result.get(t).orElseThrow();
                if (v.getInfo() instanceof TensorInfo info) {
                    long[] s = BatchFirst.shape(info.getShape().clone(), g.batchAxis(t));
                    if (inputShape[0] < 0 && s.length > 0 && s[0] == concrete[0]) {
                        s[0] = -1; // the batch dimension stays dynamic (a sequence-first axis keeps its length)
                    }
                    shapes.put(t, s);
                }
            }
            return "a run on zeros";
        } catch (OrtException e) {
            return "unknown (a run on zeros failed: " + e.getMessage() + ")";
        }
    }
}
