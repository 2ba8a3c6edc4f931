package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Split;

/**
 * Small ONNX models built in Java with the OnnxMl protobuf classes, in the shapes the exporters produce, plus the
 * same computations in plain Java to check onnxruntime's activations against.
 */
public final class TestModels {
    private TestModels() {}

    /** Builds one graph: nodes, initializers, a float input and a float output. */
    public static final class Builder {
        private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("test");
        private final Random random;

        public Builder(long seed) {
            this.random = new Random(seed);
        }

        public Builder input(String name, Object... dims) {
            graph.addInput(valueInfo(name, dims));
            return this;
        }

        public Builder output(String name, Object... dims) {
            graph.addOutput(valueInfo(name, dims));
            return this;
        }

        /** A random weight tensor (uniform in [-1, 1]) registered as an initializer; returns its values. */
        public float[] weights(String name, long... dims) {
            int n = 1;
            for (long d : dims) {
                n *= (int) d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextFloat() * 2f - 1f;
            }
            constant(name, v, dims);
            return v;
        }

        public Builder constant(String name, float[] values, long... dims) {
            OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
            for (long d : dims) {
                t.addDims(d);
            }
            for (float f : values) {
                t.addFloatData(f);
            }
            graph.addInitializer(t);
            return this;
        }

        public Builder int64(String name, long... values) {
            OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                    .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return this;
        }

        public Builder node(String op, String name, List<String> inputs, List<String> outputs,
                            OnnxMl.AttributeProto... attributes) {
            OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name)
                    .addAllInput(inputs).addAllOutput(outputs);
            for (OnnxMl.AttributeProto a : attributes) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            return this;
        }

        /** The values of an initializer added by {@link #weights} or {@link #constant}. */
        public float[] initializer(String name) {
            for (OnnxMl.TensorProto t : graph.getInitializerList()) {
                if (t.getName().equals(name)) {
                    float[] v = new float[t.getFloatDataCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.getFloatData(i);
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("no initializer " + name);
        }

        public byte[] bytes() {
            return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("hav-tests")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                    .setGraph(graph).build().toByteArray();
        }

        public Path write(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes());
            return file;
        }
    }

    /** Rewrites a model file with another default-domain opset (and an IR version that allows it). */
    static void setOpset(Path file, int opset) throws IOException {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        Files.write(file, m.toBuilder().setIrVersion(opset >= 19 ? 9 : 8).clearOpsetImport()
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build()
                .toByteArray());
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    static OnnxMl.AttributeProto intsAttr(String name, long... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            } else {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    // ------------------------------------------------------------------ the reference networks

    /** torch.onnx-style MLP on 16 inputs: Gemm(transB) -> Relu -> Gemm -> Relu -> Gemm; weights in order. */
    public static final class Mlp {
        public static final String H1 = "/relu1/Relu_output_0";
        public static final String H2 = "/relu2/Relu_output_0";
        public final float[] w1;
        public final float[] b1;
        public final float[] w2;
        public final float[] b2;
        public final float[] w3;
        public final float[] b3;
        public final Builder builder;

        private final int classes;

        public Mlp(long seed) {
            this(seed, 3);
        }

        /** The same network with {@code classes} outputs. */
        public Mlp(long seed, int classes) {
            this.classes = classes;
            builder = new Builder(seed).input("input", "batch", 16L).output("logits", "batch", (long) classes);
            w1 = builder.weights("fc1.weight", 8, 16);
            b1 = builder.weights("fc1.bias", 8);
            w2 = builder.weights("fc2.weight", 6, 8);
            b2 = builder.weights("fc2.bias", 6);
            w3 = builder.weights("fc3.weight", classes, 6);
            b3 = builder.weights("fc3.bias", classes);
            builder.node("Gemm", "/fc1/Gemm", List.of("input", "fc1.weight", "fc1.bias"),
                    List.of("/fc1/Gemm_output_0"), intAttr("transB", 1));
            builder.node("Relu", "/relu1/Relu", List.of("/fc1/Gemm_output_0"), List.of(H1));
            builder.node("Gemm", "/fc2/Gemm", List.of(H1, "fc2.weight", "fc2.bias"),
                    List.of("/fc2/Gemm_output_0"), intAttr("transB", 1));
            builder.node("Relu", "/relu2/Relu", List.of("/fc2/Gemm_output_0"), List.of(H2));
            builder.node("Gemm", "/fc3/Gemm", List.of(H2, "fc3.weight", "fc3.bias"), List.of("logits"),
                    intAttr("transB", 1));
        }

        /** Hidden layers 1 and 2 and the logits of one input row, computed in Java. */
        public float[][] forward(float[] x) {
            float[] h1 = relu(dense(x, w1, b1, 8));
            float[] h2 = relu(dense(h1, w2, b2, 6));
            return new float[][] {h1, h2, dense(h2, w3, b3, classes)};
        }
    }

    /** out[o] = b[o] + sum_i w[o * in + i] x[i] (torch's Linear layout, out x in). */
    public static float[] dense(float[] x, float[] w, float[] b, int out) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int i = 0; i < x.length; i++) {
                s += (double) w[o * x.length + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    public static float[] relu(float[] v) {
        float[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.max(0f, r[i]);
        }
        return r;
    }

    /** A dataset of random pixels in [0, 1] with labels i mod 3. */
    public static Dataset dataset(String name, int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new Dataset(name, Split.TEST, new FloatMatrix(n, c * h * w, px), labels, c, h, w,
                List.of("a", "b", "c"), "sha-" + name + "-" + n + "-" + seed, "generated");
    }

    /** torch-style CNN on 1x4x4: Conv(2, 3x3, pad 1) -> Relu -> Flatten -> Gemm(5) -> Relu -> Gemm(3). */
    public static final class Cnn {
        public static final String CONV = "/conv/Relu_output_0";
        public static final String DENSE = "/fc1/Relu_output_0";
        public final float[] wc;
        public final float[] bc;
        public final float[] w1;
        public final float[] b1;
        public final float[] w2;
        public final float[] b2;
        public final Builder builder;

        public Cnn(long seed) {
            builder = new Builder(seed).input("x", "N", 1L, 4L, 4L).output("logits", "N", 3L);
            wc = builder.weights("conv.weight", 2, 1, 3, 3);
            bc = builder.weights("conv.bias", 2);
            w1 = builder.weights("fc1.weight", 5, 32);
            b1 = builder.weights("fc1.bias", 5);
            w2 = builder.weights("fc2.weight", 3, 5);
            b2 = builder.weights("fc2.bias", 3);
            builder.node("Conv", "/conv/Conv", List.of("x", "conv.weight", "conv.bias"), List.of("/conv/Conv_output_0"),
                    intsAttr("kernel_shape", 3, 3), intsAttr("pads", 1, 1, 1, 1));
            builder.node("Relu", "/conv/Relu", List.of("/conv/Conv_output_0"), List.of(CONV));
            builder.node("Flatten", "/Flatten", List.of(CONV), List.of("/Flatten_output_0"), intAttr("axis", 1));
            builder.node("Gemm", "/fc1/Gemm", List.of("/Flatten_output_0", "fc1.weight", "fc1.bias"),
                    List.of("/fc1/Gemm_output_0"), intAttr("transB", 1));
            builder.node("Relu", "/fc1/Relu", List.of("/fc1/Gemm_output_0"), List.of(DENSE));
            builder.node("Gemm", "/fc2/Gemm", List.of(DENSE, "fc2.weight", "fc2.bias"), List.of("logits"),
                    intAttr("transB", 1));
        }

        /** Conv activations (2x4x4 flattened CHW), dense activations, logits. */
        public float[][] forward(float[] x) {
            float[] conv = new float[32];
            for (int oc = 0; oc < 2; oc++) {
                for (int y = 0; y < 4; y++) {
                    for (int xx = 0; xx < 4; xx++) {
                        double s = bc[oc];
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = y + ky - 1;
                                int ix = xx + kx - 1;
                                if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                    s += (double) wc[oc * 9 + ky * 3 + kx] * x[iy * 4 + ix];
                                }
                            }
                        }
                        conv[oc * 16 + y * 4 + xx] = (float) Math.max(0, s);
                    }
                }
            }
            float[] h = relu(dense(conv, w1, b1, 5));
            return new float[][] {conv, h, dense(h, w2, b2, 3)};
        }
    }

    /** tf2onnx export of a Keras MLP on NHWC 3x3x2 input: Reshape -> MatMul + Add -> Relu -> MatMul + Add -> Softmax. */
    public static final class KerasMlp {
        public static final String HIDDEN = "sequential/dense/Relu:0";
        public final float[] w1;
        public final float[] b1;
        public final float[] w2;
        public final float[] b2;
        public final Builder builder;

        public KerasMlp(long seed) {
            builder = new Builder(seed).input("input_1", "unk__6", 3L, 3L, 2L).output("dense_1", "unk__7", 3L);
            builder.int64("const_fold_opt__8", -1, 18);
            w1 = builder.weights("sequential/dense/MatMul/ReadVariableOp:0", 18, 8);
            b1 = builder.weights("sequential/dense/BiasAdd/ReadVariableOp:0", 8);
            w2 = builder.weights("sequential/dense_1/MatMul/ReadVariableOp:0", 8, 3);
            b2 = builder.weights("sequential/dense_1/BiasAdd/ReadVariableOp:0", 3);
            builder.node("Reshape", "sequential/flatten/Reshape", List.of("input_1", "const_fold_opt__8"),
                    List.of("sequential/flatten/Reshape:0"));
            builder.node("MatMul", "sequential/dense/MatMul", List.of("sequential/flatten/Reshape:0",
                    "sequential/dense/MatMul/ReadVariableOp:0"), List.of("sequential/dense/MatMul:0"));
            builder.node("Add", "sequential/dense/BiasAdd", List.of("sequential/dense/MatMul:0",
                    "sequential/dense/BiasAdd/ReadVariableOp:0"), List.of("sequential/dense/BiasAdd:0"));
            builder.node("Relu", "sequential/dense/Relu", List.of("sequential/dense/BiasAdd:0"), List.of(HIDDEN));
            builder.node("MatMul", "sequential/dense_1/MatMul", List.of(HIDDEN,
                    "sequential/dense_1/MatMul/ReadVariableOp:0"), List.of("sequential/dense_1/MatMul:0"));
            builder.node("Add", "sequential/dense_1/BiasAdd", List.of("sequential/dense_1/MatMul:0",
                    "sequential/dense_1/BiasAdd/ReadVariableOp:0"), List.of("sequential/dense_1/BiasAdd:0"));
            builder.node("Softmax", "sequential/dense_1/Softmax", List.of("sequential/dense_1/BiasAdd:0"),
                    List.of("dense_1"), intAttr("axis", 1));
        }

        /** Hidden activations and pre-softmax logits of one CHW row (2 x 3 x 3), transposed to HWC first. */
        public float[][] forward(float[] chw) {
            float[] hwc = new float[18];
            for (int p = 0; p < 9; p++) {
                for (int c = 0; c < 2; c++) {
                    hwc[p * 2 + c] = chw[c * 9 + p];
                }
            }
            float[] h = new float[8];
            for (int o = 0; o < 8; o++) {
                double s = b1[o];
                for (int i = 0; i < 18; i++) {
                    s += (double) hwc[i] * w1[i * 8 + o];
                }
                h[o] = (float) Math.max(0, s);
            }
            float[] logits = new float[3];
            for (int o = 0; o < 3; o++) {
                double s = b2[o];
                for (int i = 0; i < 8; i++) {
                    s += (double) h[i] * w2[i * 3 + o];
                }
                logits[o] = (float) s;
            }
            return new float[][] {h, logits};
        }
    }

    /** Gemm -> Softmax only: a model without hidden layers. */
    public static Builder noHidden(long seed) {
        Builder b = new Builder(seed).input("input", "N", 16L).output("probs", "N", 3L);
        b.weights("w", 3, 16);
        b.weights("b", 3);
        b.node("Gemm", "gemm", List.of("input", "w", "b"), List.of("z"), intAttr("transB", 1));
        b.node("Softmax", "softmax", List.of("z"), List.of("probs"), intAttr("axis", 1));
        return b;
    }

    /**
     * A Gemm -> Relu MLP whose hidden tensor is then shifted by -10 and passed through Log: "log" is NaN wherever
     * the shifted value is negative. Named as a hidden layer through a manifest.
     */
    public static Builder nanModel(long seed) {
        Builder b = new Builder(seed).input("input", "N", 16L).output("logits", "N", 3L);
        b.weights("w1", 4, 16);
        b.weights("b1", 4);
        b.constant("ten", new float[] {10f});
        b.weights("w2", 3, 4);
        b.weights("b2", 3);
        b.node("Gemm", "g1", List.of("input", "w1", "b1"), List.of("z1"), intAttr("transB", 1));
        b.node("Relu", "r1", List.of("z1"), List.of("h1"));
        b.node("Sub", "shift", List.of("h1", "ten"), List.of("shifted"));
        b.node("Log", "log", List.of("shifted"), List.of("log"));
        b.node("Gemm", "g2", List.of("log", "w2", "b2"), List.of("logits"), intAttr("transB", 1));
        return b;
    }

    static List<String> names(List<Candidate> cs) {
        List<String> out = new ArrayList<>();
        cs.forEach(c -> out.add(c.tensor()));
        return out;
    }
}
