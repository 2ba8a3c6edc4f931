package org.hiddenactivity.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.Fuzz;
import org.hiddenactivity.core.Warnings;

/**
 * Coverage-guided fuzzing of the model stage's parsers of untrusted bytes (docs/fuzzing.md): a model folder's
 * manifest.json, and an ONNX file through parsing, the external-data guard, hidden-layer discovery and the graph
 * rewrite (onnxruntime itself is not run: it is native code, not ours). Regression inputs:
 * src/test/resources/org/hiddenactivity/model/ModelFilesFuzzTestInputs/METHOD/.
 */
class ModelFilesFuzzTest {
    private static final Path MANIFEST = Path.of("manifest.json");
    private static final Path MODEL = Path.of("model.onnx");

    @FuzzTest(maxDuration = "30s")
    void manifest(byte[] input) throws Exception {
        Warnings.printTo(m -> { });
        try {
            Fuzz.expectOnlyHavException(MANIFEST.toString(), () -> {
                Manifest m = Manifest.parse(MANIFEST, input);
                // a parsed manifest has at least one checkpoint, epochs unique, sorted and not negative
                int previous = -1;
                for (Manifest.Entry e : m.checkpoints()) {
                    if (e.epoch() <= previous || e.file().isBlank()) {
                        throw new AssertionError("checkpoints not validated: " + m.checkpoints());
                    }
                    previous = e.epoch();
                }
            });
        } finally {
            Warnings.printTo(null);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void onnx(byte[] input) throws Exception {
        Fuzz.expectOnlyHavException(MODEL.toString(), () -> {
            OnnxGraph g = OnnxGraph.parse(MODEL, input);
            g.dataInput();
            g.finalOutput();
            List<LayerDiscovery.Found> found = g.candidates();
            List<LayerKind> kinds = new ArrayList<>();
            found.forEach(f -> kinds.add(ModelInspector.kindOf(f, null)));
            List<LayerDiscovery.Choice> choices = LayerDiscovery.choose(found, kinds);
            if (choices.size() != found.size()) {
                throw new AssertionError("one choice per candidate");
            }
            g.withOutputs(found.stream().map(LayerDiscovery.Found::tensor).toList());
        });
    }

    /** Ops the graph-size harness chains; each reads one or two earlier tensors. */
    private static final String[] SIZE_OPS = {"Relu", "Tanh", "Sigmoid", "Add", "Mul", "Div", "Sub", "MatMul",
        "ReduceMean", "Sqrt", "Pow", "LayerNormalization", "Softmax", "GlobalAveragePool", "Identity", "Erf"};

    /**
     * The graph-size dimension (issue 18): the input is a recipe for a large graph, not the graph's bytes. Bytes 0-2
     * give the node count (up to 2^18 = 262,144, beyond any network), then byte k picks node k's op and byte k + 1
     * how far back its inputs lie (1 to 256 tensors; cycling through the recipe when it is shorter than the graph).
     * Discovery must stay linear: a slow input (over Jazzer's 10 s) is a finding.
     */
    @FuzzTest(maxDuration = "60s")
    void onnxGraphSize(byte[] input) throws Exception {
        if (input.length < 4) {
            return;
        }
        int nodes = ((input[0] & 0xff) << 10 | (input[1] & 0xff) << 2 | (input[2] & 0x03)) + 1;
        ai.onnx.proto.OnnxMl.GraphProto.Builder g = ai.onnx.proto.OnnxMl.GraphProto.newBuilder().setName("size");
        g.addInput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName("x"));
        g.addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1)
                .addDims(1).addFloatData(1f));
        List<String> tensors = new ArrayList<>(List.of("x"));
        int r = 3;
        for (int i = 0; i < nodes; i++) {
            int opByte = input[3 + (r++ % (input.length - 3))] & 0xff;
            int back = (input[3 + (r++ % (input.length - 3))] & 0xff) + 1;
            String op = SIZE_OPS[opByte % SIZE_OPS.length];
            String a = tensors.get(tensors.size() - 1);
            String b = tensors.get(Math.max(0, tensors.size() - back));
            ai.onnx.proto.OnnxMl.NodeProto.Builder n = ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType(op)
                    .addOutput("t" + i);
            switch (op) {
                case "Add", "Mul", "Div", "Sub" -> n.addInput(a).addInput(b);
                case "MatMul" -> n.addInput(a).addInput("w");
                default -> n.addInput(opByte >= 128 ? b : a);
            }
            g.addNode(n);
            tensors.add("t" + i);
        }
        g.addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput(tensors.get(
                tensors.size() - 1)).addInput("w").addOutput("out"));
        g.addOutput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName("out"));
        byte[] bytes = ai.onnx.proto.OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                ai.onnx.proto.OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray();
        Fuzz.expectOnlyHavException(MODEL.toString(), () -> {
            OnnxGraph graph = OnnxGraph.parse(MODEL, bytes);
            List<LayerDiscovery.Found> found = graph.candidates();
            graph.excluded();
            graph.tokenIndex();
            List<LayerKind> kinds = new ArrayList<>();
            found.forEach(f -> kinds.add(ModelInspector.kindOf(f, null)));
            LayerDiscovery.choose(found, kinds);
        });
    }
}
