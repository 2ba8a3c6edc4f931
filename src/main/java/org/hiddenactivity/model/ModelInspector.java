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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lists the hidden-layer candidates of an ONNX model, with their shapes. */
public final class ModelInspector {
    private ModelInspector() {}

    /**
     * Parses the model, finds the candidates and their shapes: from the model's value_info when recorded, else by
     * running one observation of zeros through it (when the input shape is fixed apart from the batch).
     */
    public static ModelInspection inspect(Path onnx) {
        return inspect(OnnxGraph.read(onnx));
    }

    static ModelInspection inspect(OnnxGraph g) {
        OnnxMl.ValueInfoProto input = g.dataInput();
        long[] inputShape = OnnxGraph.dims(input);
        String output = g.finalOutput();
        List<OnnxGraph.Found> found = g.candidates();
        Map<String, long[]> shapes = g.recordedShapes();
        String shapesFrom = "value_info";
        boolean missing = found.stream().anyMatch(f -> !shapes.containsKey(f.tensor())) || !shapes.containsKey(output);
        if (missing) {
            shapesFrom = runZeros(g, input, inputShape, found, output, shapes);
        }
        boolean anyDense = found.stream().anyMatch(OnnxGraph.Found::dense);
        List<Candidate> candidates = new ArrayList<>();
        for (OnnxGraph.Found f : found) {
            candidates.add(new Candidate(f.tensor(), f.op(), f.linearOp(), f.nodeName(), shapes.get(f.tensor()),
                    f.dense(), !anyDense || f.dense()));
        }
        return new ModelInspection(g.file, input.getName(), inputShape, output, shapes.get(output),
                List.copyOf(candidates), found.isEmpty() ? "no candidates" : shapesFrom);
    }

    /** Runs one observation of zeros to learn the shapes; returns how the shapes were found (or why not). */
    private static String runZeros(OnnxGraph g, OnnxMl.ValueInfoProto input, long[] inputShape,
                                   List<OnnxGraph.Found> found, String output, Map<String, long[]> shapes) {
        if (inputShape == null || inputShape.length == 0) {
            return "unknown (the model input has no recorded shape)";
        }
        long[] concrete = inputShape.clone();
        for (int i = 0; i < concrete.length; i++) {
            if (concrete[i] < 0) {
                if (i != 0) {
                    return "unknown (input dimension " + i + " is dynamic; shapes appear at extraction)";
                }
                concrete[i] = 1;
            }
        }
        if (input.getType().getTensorType().getElemType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            return "unknown (the model input is not float32)";
        }
        Set<String> wanted = new LinkedHashSet<>();
        found.forEach(f -> wanted.add(f.tensor()));
        wanted.add(output);
        byte[] rewritten = g.withOutputs(new ArrayList<>(wanted));
        long count = 1;
        for (long d : concrete) {
            count *= d;
        }
        try (OrtSession session = OrtSessions.create(rewritten, g.file);
             OnnxTensor zeros = OnnxTensor.createTensor(OrtSessions.env(), FloatBuffer.allocate((int) count), concrete);
             OrtSession.Result result = session.run(Map.of(input.getName(), zeros), wanted)) {
            for (String t : wanted) {
                OnnxValue v = result.get(t).orElseThrow();
                if (v.getInfo() instanceof TensorInfo info) {
                    long[] s = info.getShape().clone();
                    if (inputShape[0] < 0 && s.length > 0) {
                        s[0] = -1; // the batch dimension stays dynamic
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
