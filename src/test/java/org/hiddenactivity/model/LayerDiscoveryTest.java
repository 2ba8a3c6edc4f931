package org.hiddenactivity.model;

import static org.hiddenactivity.model.TestModels.intAttr;
import static org.hiddenactivity.model.TestModels.intsAttr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hidden-layer discovery on graphs built with the ONNX protobuf classes in the forms exporters emit, with the
 * activations onnxruntime returns for the found tensor compared against the same function computed in Java.
 */
class LayerDiscoveryTest {
    @TempDir
    Path dir;

    /** Gemm(16 -> 8) then an activation subgraph on its output "z", then Gemm(8 -> 3) from {@code act}. */
    private static TestModels.Builder mlpAround(long seed, String act, Activation body) {
        TestModels.Builder b = new TestModels.Builder(seed).input("input", "N", 16L).output("logits", "N", 3L);
        b.weights("w1", 8, 16);
        b.weights("b1", 8);
        b.weights("w2", 3, 8);
        b.weights("b2", 3);
        b.node("Gemm", "fc1", List.of("input", "w1", "b1"), List.of("z"), intAttr("transB", 1));
        body.add(b);
        b.node("Gemm", "fc2", List.of(act, "w2", "b2"), List.of("logits"), intAttr("transB", 1));
        return b;
    }

    interface Activation {
        void add(TestModels.Builder b);
    }

    private static float[] scalar(float v) {
        return new float[] {v};
    }

    /** The pre-activation z = W1 x + b1 of the first Gemm for one input row (weights read back from the graph). */
    private static float[] preActivation(TestModels.Builder b, float[] x) {
        return TestModels.dense(x, b.initializer("w1"), b.initializer("b1"), 8);
    }

    private static Candidate only(ModelInspection in, String tensor) {
        Candidate c = in.candidate(tensor);
        assertTrue(c != null, "no candidate " + tensor + " among " + TestModels.names(in.candidates()));
        return c;
    }

    private void assertActivations(TestModels.Builder b, Path file, java.util.function.DoubleUnaryOperator f)
            throws IOException {
        b.write(file);
        ModelSeries s = ModelSeries.resolve(file.toString());
        Dataset data = TestModels.dataset("toy", 20, 1, 4, 4, 3);
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoints().get(0), data, Progress.NONE);
        for (int i = 0; i < data.size(); i++) {
            float[] z = preActivation(b, data.images().row(i));
            for (int j = 0; j < z.length; j++) {
                assertEquals(f.applyAsDouble(z[j]), a.values().get(0).get(i, j), 1e-5, "row " + i + " unit " + j);
            }
        }
    }

    @Test
    void siluIsTheMulOutputNeverTheSigmoidGate() throws IOException {
        TestModels.Builder b = mlpAround(1, "silu", m -> {
            m.node("Sigmoid", "act/Sigmoid", List.of("z"), List.of("gate"));
            m.node("Mul", "act/Mul", List.of("z", "gate"), List.of("silu"));
        });
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("silu.onnx")));
        assertEquals(List.of("silu"), TestModels.names(in.candidates()));
        assertEquals("silu / swish (x * sigmoid(x))", only(in, "silu").pattern());
        assertNull(in.candidate("gate"));
        assertActivations(b, dir.resolve("silu.onnx"), z -> z / (1 + Math.exp(-z)));
    }

    @Test
    void swishWithOperandsReversedAndABetaIsFound() throws IOException {
        TestModels.Builder b = mlpAround(2, "swish", m -> {
            m.constant("beta", scalar(1.5f));
            m.node("Mul", "scale", List.of("z", "beta"), List.of("bz"));
            m.node("Sigmoid", "sig", List.of("bz"), List.of("gate"));
            m.node("Mul", "mul", List.of("gate", "z"), List.of("swish"));
        });
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("swish.onnx")));
        assertEquals(List.of("swish"), TestModels.names(in.candidates()));
        assertActivations(b, dir.resolve("swish.onnx"), z -> z / (1 + Math.exp(-1.5 * z)));
    }

    @Test
    void geluInTorchsErfFormIsTheLastMul() throws IOException {
        TestModels.Builder b = mlpAround(3, "gelu", m -> {
            m.constant("sqrt2", scalar((float) Math.sqrt(2)));
            m.constant("one", scalar(1f));
            m.constant("half", scalar(0.5f));
            m.node("Div", "Div", List.of("z", "sqrt2"), List.of("d"));
            m.node("Erf", "Erf", List.of("d"), List.of("e"));
            m.node("Add", "Add", List.of("e", "one"), List.of("a"));
            m.node("Mul", "Mul", List.of("z", "a"), List.of("m"));
            m.node("Mul", "Mul_1", List.of("m", "half"), List.of("gelu"));
        });
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("gelu.onnx")));
        assertEquals(List.of("gelu"), TestModels.names(in.candidates()));
        assertEquals("gelu (erf form)", only(in, "gelu").pattern());
        assertActivations(b, dir.resolve("gelu.onnx"), z -> 0.5 * z * (1 + erf(z / Math.sqrt(2))));
    }

    @Test
    void geluInItsTanhFormIsFound() throws IOException {
        TestModels.Builder b = mlpAround(4, "gelu", m -> {
            m.constant("three", scalar(3f));
            m.constant("c", scalar(0.044715f));
            m.constant("k", scalar((float) Math.sqrt(2 / Math.PI)));
            m.constant("one", scalar(1f));
            m.constant("half", scalar(0.5f));
            m.node("Pow", "pow", List.of("z", "three"), List.of("z3"));
            m.node("Mul", "mc", List.of("z3", "c"), List.of("cz3"));
            m.node("Add", "inner", List.of("z", "cz3"), List.of("u"));
            m.node("Mul", "mk", List.of("u", "k"), List.of("ku"));
            m.node("Tanh", "tanh", List.of("ku"), List.of("t"));
            m.node("Add", "p1", List.of("t", "one"), List.of("t1"));
            m.node("Mul", "mx", List.of("z", "t1"), List.of("xt"));
            m.node("Mul", "mh", List.of("xt", "half"), List.of("gelu"));
        });
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("gelut.onnx")));
        assertEquals(List.of("gelu"), TestModels.names(in.candidates()));
        assertEquals("gelu (tanh form)", only(in, "gelu").pattern());
        assertActivations(b, dir.resolve("gelut.onnx"),
                z -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))));
    }

    @Test
    void mishAsSoftplusTanhMulAndHardSwishAsHardSigmoidMul() throws IOException {
        TestModels.Builder mish = mlpAround(5, "mish", m -> {
            m.node("Softplus", "sp", List.of("z"), List.of("s"));
            m.node("Tanh", "th", List.of("s"), List.of("t"));
            m.node("Mul", "mul", List.of("z", "t"), List.of("mish"));
        });
        ModelInspection in = ModelInspector.inspect(mish.write(dir.resolve("mish.onnx")));
        assertEquals(List.of("mish"), TestModels.names(in.candidates()));
        assertEquals("mish (x * tanh(softplus(x)))", only(in, "mish").pattern());
        assertActivations(mish, dir.resolve("mish.onnx"), z -> z * Math.tanh(Math.log1p(Math.exp(z))));

        TestModels.Builder hs = mlpAround(6, "hs", m -> {
            m.node("HardSigmoid", "hsig", List.of("z"), List.of("g"), floatAttr("alpha", 1f / 6), floatAttr("beta", 0.5f));
            m.node("Mul", "mul", List.of("z", "g"), List.of("hs"));
        });
        in = ModelInspector.inspect(hs.write(dir.resolve("hs.onnx")));
        assertEquals(List.of("hs"), TestModels.names(in.candidates()));
        assertEquals("hard-swish (x * hardsigmoid(x))", only(in, "hs").pattern());
        assertActivations(hs, dir.resolve("hs.onnx"), z -> z * Math.max(0, Math.min(1, z / 6 + 0.5)));
    }

    @Test
    void everySingleOpActivationIsRecognised() throws IOException {
        for (String op : List.of("Relu", "LeakyRelu", "Elu", "Selu", "Celu", "Sigmoid", "Tanh", "Softplus", "Softsign",
                "HardSigmoid", "HardSwish", "Gelu")) {
            TestModels.Builder b = mlpAround(7, "h", m -> m.node(op, "act", List.of("z"), List.of("h")));
            Path f = b.write(dir.resolve(op + ".onnx"));
            if (op.equals("HardSwish") || op.equals("Gelu")) {
                TestModels.setOpset(f, op.equals("Gelu") ? 20 : 14);
            }
            ModelInspection in = ModelInspector.inspect(f);
            assertEquals(List.of("h"), TestModels.names(in.candidates()), op);
            assertEquals(LayerDiscovery.kebab(op), in.candidates().get(0).pattern(), op);
            assertEquals(LayerKind.DENSE, in.candidates().get(0).kind(), op);
        }
        // PRelu: the slope is an initializer
        TestModels.Builder b = mlpAround(8, "h", m -> {
            m.constant("slope", new float[] {0.25f});
            m.node("PRelu", "act", List.of("z", "slope"), List.of("h"));
        });
        assertEquals(List.of("h"), TestModels.names(ModelInspector.inspect(b.write(dir.resolve("prelu.onnx")))
                .candidates()));
        assertActivations(b, dir.resolve("prelu.onnx"), z -> z >= 0 ? z : 0.25 * z);
    }

    @Test
    void residualMlpAnalysesTheBlockOutputsNotTheirInsides() throws IOException {
        TestModels.Builder b = new TestModels.Builder(9).input("input", "N", 16L).output("logits", "N", 3L);
        b.weights("w0", 8, 16);
        b.weights("b0", 8);
        b.weights("w1", 8, 8);
        b.weights("b1", 8);
        b.weights("w2", 8, 8);
        b.weights("b2", 8);
        b.weights("w3", 3, 8);
        b.weights("b3", 3);
        b.node("Gemm", "stem", List.of("input", "w0", "b0"), List.of("z0"), intAttr("transB", 1));
        b.node("Relu", "stem/relu", List.of("z0"), List.of("s"));
        b.node("Gemm", "block/fc1", List.of("s", "w1", "b1"), List.of("z1"), intAttr("transB", 1));
        b.node("Relu", "block/relu", List.of("z1"), List.of("h"));
        b.node("Gemm", "block/fc2", List.of("h", "w2", "b2"), List.of("f"), intAttr("transB", 1));
        b.node("Add", "block/add", List.of("s", "f"), List.of("y"));
        b.node("Relu", "block/out", List.of("y"), List.of("r"));
        b.node("Gemm", "head", List.of("r", "w3", "b3"), List.of("logits"), intAttr("transB", 1));
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("res.onnx")));
        assertEquals(List.of("s", "h", "r"), TestModels.names(in.candidates()));
        assertEquals(LayerKind.DENSE, only(in, "s").kind());
        assertEquals(LayerKind.RESIDUAL, only(in, "r").kind());
        assertEquals("residual add + relu", only(in, "r").pattern());
        assertEquals("r", only(in, "h").insideBlock());
        assertFalse(only(in, "h").analysed());
        assertEquals(List.of("s", "r"), TestModels.names(in.analysed()));
    }

    @Test
    void residualAddWithoutActivationIsTheBlockOutput() throws IOException {
        TestModels.Builder b = new TestModels.Builder(10).input("input", "N", 16L).output("logits", "N", 3L);
        b.weights("w0", 8, 16);
        b.weights("b0", 8);
        b.weights("w1", 8, 8);
        b.weights("b1", 8);
        b.weights("w3", 3, 8);
        b.weights("b3", 3);
        b.node("Gemm", "stem", List.of("input", "w0", "b0"), List.of("z0"), intAttr("transB", 1));
        b.node("Relu", "stem/relu", List.of("z0"), List.of("s"));
        b.node("Gemm", "block/fc", List.of("s", "w1", "b1"), List.of("z1"), intAttr("transB", 1));
        b.node("Tanh", "block/tanh", List.of("z1"), List.of("f"));
        b.node("Add", "block/add", List.of("f", "s"), List.of("y"));
        b.node("Gemm", "head", List.of("y", "w3", "b3"), List.of("logits"), intAttr("transB", 1));
        ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("res2.onnx")));
        assertEquals(List.of("s", "f", "y"), TestModels.names(in.candidates()));
        assertEquals("residual add (x + f(x))", only(in, "y").pattern());
        assertEquals("y", only(in, "f").insideBlock());
        assertEquals(List.of("s", "y"), TestModels.names(in.analysed()));
    }

    /** Conv(2) -> BatchNormalization -> Relu -> pooling -> Flatten -> Gemm(3), on 1x4x4 images. */
    private static TestModels.Builder convPool(long seed, Activation pooling) {
        TestModels.Builder b = new TestModels.Builder(seed).input("x", "N", 1L, 4L, 4L).output("logits", "N", 3L);
        b.weights("cw", 2, 1, 3, 3);
        b.weights("cb", 2);
        b.constant("scale", new float[] {1.5f, 0.5f}, 2);
        b.constant("bias", new float[] {0.1f, -0.2f}, 2);
        b.constant("mean", new float[] {0.2f, 0.3f}, 2);
        b.constant("var", new float[] {1.2f, 0.8f}, 2);
        b.weights("w", 3, 2);
        b.weights("wb", 3);
        b.node("Conv", "conv", List.of("x", "cw", "cb"), List.of("c"), intsAttr("kernel_shape", 3, 3),
                intsAttr("pads", 1, 1, 1, 1));
        b.node("BatchNormalization", "bn", List.of("c", "scale", "bias", "mean", "var"), List.of("n"));
        b.node("Relu", "relu", List.of("n"), List.of("r"));
        pooling.add(b);
        b.node("Flatten", "flat", List.of("p"), List.of("f"), intAttr("axis", 1));
        b.node("Gemm", "fc", List.of("f", "w", "wb"), List.of("logits"), intAttr("transB", 1));
        return b;
    }

    @Test
    void globalAveragePoolAfterBatchNormIsAPooledLayer() throws IOException {
        TestModels.Builder b = convPool(11, m -> m.node("GlobalAveragePool", "gap", List.of("r"), List.of("p")));
        Path f = b.write(dir.resolve("gap.onnx"));
        ModelInspection in = ModelInspector.inspect(f);
        assertEquals(List.of("r", "p"), TestModels.names(in.candidates()));
        assertEquals(LayerKind.CONV, only(in, "r").kind());
        assertEquals(LayerKind.POOLED, only(in, "p").kind());
        assertEquals("global average pool", only(in, "p").pattern());
        assertEquals(2, only(in, "p").units());
        // the pool directly after the map holds the map's channel means: one of the two is analysed, and inspect says so
        assertEquals(List.of("p"), TestModels.names(in.analysed()));
        assertTrue(only(in, "r").reason().contains("global pool p follows at once"), only(in, "r").reason());
        // the conv layer's per-channel mean equals the pooled values (both are the mean over H x W)
        ModelSeries s = ModelSeries.resolve(f.toString(), new ModelOptions(List.of("r", "p"), ConvUnits.CHANNEL, null,
                null, null));
        Dataset data = TestModels.dataset("toy", 9, 1, 4, 4, 2);
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoints().get(0), data, Progress.NONE);
        for (int i = 0; i < data.size(); i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(a.values().get(1).get(i, c), a.values().get(0).get(i, c), 1e-5);
            }
        }
    }

    @Test
    void reduceMeanOverTheSpatialAxesIsAPooledLayer() throws IOException {
        for (int keep : new int[] {0, 1}) {
            TestModels.Builder b = convPool(12, m -> m.node("ReduceMean", "mean", List.of("r"), List.of("p"),
                    intsAttr("axes", 2, 3), intAttr("keepdims", keep)));
            ModelInspection in = ModelInspector.inspect(b.write(dir.resolve("rm" + keep + ".onnx")));
            assertEquals(List.of("r", "p"), TestModels.names(in.candidates()), "keepdims " + keep);
            assertEquals(LayerKind.POOLED, only(in, "p").kind());
        }
        // a mean over channels and height is no pooling of a feature map
        TestModels.Builder b = convPool(13, m -> m.node("ReduceMean", "mean", List.of("r"), List.of("p"),
                intsAttr("axes", 1, 2), intAttr("keepdims", 0)));
        List<String> found = OnnxGraph.parse(dir.resolve("rmx.onnx"), b.bytes()).candidates().stream()
                .map(LayerDiscovery.Found::tensor).toList();
        assertEquals(List.of("r"), found);
    }

    @Test
    void aSigmoidOutputAndAnActivationOfTheRawInputAreNoHiddenLayers() throws IOException {
        TestModels.Builder b = new TestModels.Builder(14).input("input", "N", 16L).output("p", "N", 3L);
        b.weights("w", 3, 16);
        b.weights("b", 3);
        b.node("Tanh", "pre", List.of("input"), List.of("t"));
        b.node("Gemm", "fc", List.of("t", "w", "b"), List.of("z"), intAttr("transB", 1));
        b.node("Sigmoid", "out", List.of("z"), List.of("p"));
        assertTrue(ModelInspector.inspect(b.write(dir.resolve("none.onnx"))).candidates().isEmpty());
    }

    @Test
    void tensorsNamedWithTheOptionAreAnalysedWhateverTheyAre() throws IOException {
        TestModels.Builder b = mlpAround(15, "silu", m -> {
            m.node("Sigmoid", "act/Sigmoid", List.of("z"), List.of("gate"));
            m.node("Mul", "act/Mul", List.of("z", "gate"), List.of("silu"));
        });
        Path f = b.write(dir.resolve("named.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString(), new ModelOptions(List.of("z", "gate"), null, null, null,
                null));
        assertEquals(List.of("z", "gate"), s.hiddenLayers().stream().map(HiddenLayer::tensor).toList());
        assertEquals("--tensor", s.layer(1).origin());
        assertEquals(8, s.layer(2).units());
        HavException e = assertThrows(HavException.class, () -> ModelSeries.resolve(f.toString(),
                new ModelOptions(List.of("gat"), null, null, null, null)));
        assertTrue(e.getMessage().contains("did you mean gate"), e.getMessage());
    }

    @Test
    void aGraphWithACycleOrAVeryLongChainIsInspectedWithoutOverflowingTheStack() throws IOException {
        // found by fuzzing: a node consuming its own output sent the element-wise walk into endless recursion
        TestModels.Builder cycle = mlpAround(17, "h", m -> {
            m.node("Add", "loop", List.of("z", "h"), List.of("a"));
            m.node("Relu", "act", List.of("a"), List.of("h"));
        });
        assertTrue(OnnxGraph.parse(dir.resolve("cycle.onnx"), cycle.bytes()).candidates().size() <= 1);
        TestModels.Builder chain = mlpAround(18, "x50000", m -> {
            m.node("Relu", "act", List.of("z"), List.of("x0"));
            for (int i = 0; i < 50000; i++) {
                m.node("Identity", "id" + i, List.of("x" + i), List.of("x" + (i + 1)));
            }
        });
        List<LayerDiscovery.Found> found = OnnxGraph.parse(dir.resolve("chain.onnx"), chain.bytes()).candidates();
        assertEquals(List.of("x0"), found.stream().map(LayerDiscovery.Found::tensor).toList());
    }

    @Test
    void externalDataIsRefusedWhereverItHides() throws IOException {
        // a Constant node whose tensor points at a file outside the model
        TestModels.Builder b = mlpAround(16, "h", m -> m.node("Relu", "act", List.of("z"), List.of("h")));
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(b.bytes());
        OnnxMl.TensorProto external = OnnxMl.TensorProto.newBuilder().setName("leak").setDataType(1).addDims(4)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(".ssh/id_rsa"))
                .build();
        OnnxMl.NodeProto constant = OnnxMl.NodeProto.newBuilder().setOpType("Constant").setName("c").addOutput("k")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value").setType(
                        OnnxMl.AttributeProto.AttributeType.TENSOR).setT(external)).build();
        Path f = dir.resolve("constant.onnx");
        Files.write(f, model.toBuilder().setGraph(model.getGraph().toBuilder().addNode(0, constant)).build()
                .toByteArray());
        HavException e = assertThrows(HavException.class, () -> ModelInspector.inspect(f));
        assertTrue(e.getMessage().contains("leak") && e.getMessage().contains(".ssh/id_rsa")
                && e.getMessage().contains("EXTERNAL"), e.getMessage());

        // the same tensor inside the then-branch of an If node
        OnnxMl.GraphProto branch = OnnxMl.GraphProto.newBuilder().setName("then").addNode(constant).build();
        OnnxMl.NodeProto ifNode = OnnxMl.NodeProto.newBuilder().setOpType("If").setName("if").addInput("input")
                .addOutput("k").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(branch)).build();
        Path g = dir.resolve("subgraph.onnx");
        Files.write(g, model.toBuilder().setGraph(model.getGraph().toBuilder().addNode(0, ifNode)).build()
                .toByteArray());
        e = assertThrows(HavException.class, () -> ModelInspector.inspect(g));
        assertTrue(e.getMessage().contains("subgraph") && e.getMessage().contains("leak"), e.getMessage());
    }

    private static OnnxMl.AttributeProto floatAttr(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(v).build();
    }

    private static double erf(double x) {
        return org.apache.commons.math3.special.Erf.erf(x);
    }
}
