package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the issue-8 fixtures (src/test/resources/fixtures/models/, made by fixtures/export_models.py) against
 * onnxruntime, independently of hidden-layer discovery: each checkpoint is run on the first 200 MNIST test images as
 * the project reads them, with the normalisation and layout its expected.json records, and every tensor
 * expected.json names must equal its reference (torch forward hooks, or the NumPy forward of a hand-built graph)
 * within 1e-4 absolute where |reference| <= 1 and 1e-4 relative above; the predictions and accuracy must match.
 */
class FixtureReferenceTest {
    private static final int IMAGES = 200;
    private static final double TOL = 1e-4;
    /** Every fixture folder export_models.py writes; a missing one fails the test rather than being skipped. */
    private static final Set<String> FIXTURES = Set.of("gelu_mlp_op13", "gelu_mlp_op17", "gelu_tanh_mlp", "silu_mlp",
            "zoo_mlp_a", "zoo_mlp_b", "zoo_mlp_b_op13", "bn_gap_cnn", "residual_mlp", "channels_last_cnn",
            "norm_outside_mlp", "one_layer_mlp", "one_checkpoint", "five_class_mlp", "mixed_widths", "native_gelu",
            "tf2onnx_style_cnn", "swish_reversed", "gelu_tanh_handmade", "reducemean_gap_cnn_keep1",
            "reducemean_gap_cnn_keep0");

    private static Dataset data;
    private static Path root;

    @BeforeAll
    static void load() throws URISyntaxException {
        data = Datasets.load("mnist", Split.TEST, null, IMAGES);
        URL url = FixtureReferenceTest.class.getResource("/fixtures/models");
        assertTrue(url != null, "fixtures/models is not on the test classpath");
        root = Path.of(url.toURI());
    }

    @Test
    void everyFixtureIsPresent() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(d -> Files.isRegularFile(d.resolve("expected.json")))
                    .forEach(d -> found.add(d.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(FIXTURES), found);
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesItsReference() {
        return new TreeSet<>(FIXTURES).stream().map(name -> DynamicTest.dynamicTest(name, () -> check(root.resolve(name))));
    }

    private static void check(Path dir) throws IOException, OrtException, NoSuchAlgorithmException {
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        String name = exp.path("name").asText();
        checkInputsAreTheRecordedOnes(exp.path("data"), name);
        assertEquals(exp.path("has_manifest").asBoolean(), Files.isRegularFile(dir.resolve(ModelSeries.MANIFEST)),
                name + ": manifest.json presence");
        JsonNode input = exp.path("input");
        float[] pixels = data.images().data();
        float[] normalised = input.path("normalisation").isObject()
                ? normalise(pixels, input.path("normalisation")) : pixels;
        long[] shape = inputShape(input);
        JsonNode layers = exp.path("hidden_layers");
        String output = exp.path("output").path("onnx_tensor").asText();
        for (JsonNode cp : exp.path("checkpoints")) {
            String where = name + "/" + cp.path("file").asText();
            Path file = dir.resolve(cp.path("file").asText());
            assertEquals(cp.path("sha256").asText(), sha256(Files.readAllBytes(file)), where + ": SHA-256");
            String epochDir = cp.path("file").asText().replace(".onnx", "");
            LinkedHashSet<String> wanted = new LinkedHashSet<>();
            layers.forEach(l -> wanted.add(l.path("onnx_tensor").asText()));
            wanted.add(output);
            OnnxGraph graph = OnnxGraph.read(file);
            try (OrtSession session = OrtSessions.create(graph.withOutputs(new ArrayList<>(wanted)), file)) {
                String inputName = graph.dataInput().getName();
                assertEquals(input.path("name").asText(), inputName, where + ": input name");
                Map<String, float[]> got = run(session, inputName, layout(normalised, input), shape, wanted);
                for (int i = 0; i < layers.size(); i++) {
                    JsonNode layer = layers.get(i);
                    checkLayer(dir, layer, epochDir, cp.path("hidden_shapes").get(i), got, where);
                }
                float[] out = got.get(output);
                assertClose(Npy.read(dir.resolve(cp.path("output_reference").asText())), out, where + " " + output);
                int[] predicted = argmax(out, out.length / IMAGES);
                checkPredictions(cp.path("predictions"), predicted, cp.path("ambiguous_predictions"), where);
                int correct = 0;
                for (int k = 0; k < IMAGES; k++) {
                    correct += predicted[k] == data.labels()[k] ? 1 : 0;
                }
                assertEquals(cp.path("accuracy").asDouble(), correct / (double) IMAGES, 1e-12, where + ": accuracy");
                if (cp.has("predictions_without_normalisation")) {
                    float[] raw = run(session, inputName, layout(pixels, input), shape, Set.of(output)).get(output);
                    checkPredictions(cp.path("predictions_without_normalisation"), argmax(raw, raw.length / IMAGES),
                            null, where + " without normalisation");
                }
            }
        }
    }

    /** The 200 labels and the 8-bit pixels are the ones the references were computed on. */
    private static void checkInputsAreTheRecordedOnes(JsonNode d, String name) throws NoSuchAlgorithmException {
        assertEquals(IMAGES, d.path("first").asInt(), name + ": image count");
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = d.path("labels").get(i).asInt();
        }
        assertArrayEquals(labels, data.labels(), name + ": labels of the first 200 test images");
        float[] px = data.images().data();
        byte[] bytes = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            bytes[i] = (byte) Math.round(px[i] * 255f);
        }
        assertEquals(d.path("pixels_sha256").asText(), sha256(bytes), name + ": SHA-256 of the 8-bit pixels");
    }

    private static void checkLayer(Path dir, JsonNode layer, String epochDir, JsonNode shape,
                                   Map<String, float[]> got, String where) {
        String tensor = layer.path("onnx_tensor").asText();
        float[] values = got.get(tensor);
        int perImage = 1;
        for (JsonNode s : shape) {
            perImage *= s.asInt() < 0 ? 1 : s.asInt();
        }
        assertEquals((long) perImage * IMAGES, values.length, where + " " + tensor + ": size for shape " + shape);
        Npy.Array ref = Npy.read(dir.resolve(layer.path("reference").path(epochDir).asText()));
        if (!layer.path("kind").asText().equals("conv")) {
            assertClose(ref, values, where + " " + tensor);
            return;
        }
        // conv maps: the full map of the first few images, the mean over H x W of each channel for all 200
        int k = layer.path("full_reference_images").asInt();
        assertEquals(k, ref.shape()[0], where + " " + tensor + ": images in the full reference");
        assertClose(ref, java.util.Arrays.copyOf(values, k * perImage), where + " " + tensor + " (full maps)");
        int channelAxis = layer.path("channel_axis").asInt();
        int[] dims = new int[shape.size() - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i + 1).asInt();
        }
        float[] means = channelMeans(values, dims, channelAxis - 1);
        Npy.Array meanRef = Npy.read(dir.resolve(layer.path("channel_mean_reference").path(epochDir).asText()));
        assertArrayEquals(new int[] {IMAGES, dims[channelAxis - 1]}, meanRef.shape(), where + " " + tensor);
        assertClose(meanRef, means, where + " " + tensor + " (channel means)");
    }

    /** Mean over every axis but the channel axis, per image: IMAGES x C. */
    private static float[] channelMeans(float[] values, int[] dims, int channelAxis) {
        int perImage = 1;
        for (int d : dims) {
            perImage *= d;
        }
        int channels = dims[channelAxis];
        int inner = 1;
        for (int i = channelAxis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        double[] sums = new double[IMAGES * channels];
        for (int n = 0; n < IMAGES; n++) {
            for (int j = 0; j < perImage; j++) {
                int c = (j / inner) % channels;
                sums[n * channels + c] += values[n * perImage + j];
            }
        }
        float[] out = new float[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sums[i] / (perImage / channels));
        }
        return out;
    }

    private static void checkPredictions(JsonNode expected, int[] predicted, JsonNode ambiguous, String where) {
        Set<Integer> skip = new TreeSet<>();
        if (ambiguous != null) {
            ambiguous.forEach(a -> skip.add(a.asInt()));
        }
        assertEquals(IMAGES, expected.size(), where + ": predictions");
        for (int k = 0; k < IMAGES; k++) {
            if (!skip.contains(k)) {
                assertEquals(expected.get(k).asInt(), predicted[k], where + ": prediction of image " + k);
            }
        }
    }

    /** |got - ref| <= TOL * max(1, |ref|) everywhere; the message gives the worst element. */
    private static void assertClose(Npy.Array ref, float[] got, String what) {
        assertEquals(ref.values().length, got.length, what + ": number of values (reference shape "
                + Npy.shapeString(ref.shape()) + ")");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < ref.values().length; i++) {
            double r = ref.values()[i];
            double excess = Math.abs(got[i] - r) / Math.max(1.0, Math.abs(r));
            if (!(excess <= worst)) {
                worst = excess;
                worstAt = i;
            }
        }
        if (!(worst <= TOL)) {
            fail(what + ": differs from the reference by " + worst + " (scaled) at flat index " + worstAt + ": got "
                    + got[worstAt] + ", reference " + ref.values()[worstAt]);
        }
    }

    /** (x - mean) * (1 / std) in float32, the order of operations export_models.py uses. */
    private static float[] normalise(float[] pixels, JsonNode n) {
        assertEquals(1, n.path("mean").size(), "one-channel normalisation expected for MNIST");
        float mean = (float) n.path("mean").get(0).asDouble();
        float inv = 1f / (float) n.path("std").get(0).asDouble();
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] - mean) * inv;
        }
        return out;
    }

    /** CHW rows as the model takes them: flat and nchw as they are, nhwc transposed. */
    private static float[] layout(float[] chw, JsonNode input) {
        String layout = input.path("layout").asText();
        if (!layout.equals("nhwc")) {
            return chw;
        }
        int c = data.channels();
        int hw = data.height() * data.width();
        float[] out = new float[chw.length];
        for (int n = 0; n < IMAGES; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    out[n * c * hw + p * c + ch] = chw[n * c * hw + ch * hw + p];
                }
            }
        }
        return out;
    }

    private static long[] inputShape(JsonNode input) {
        JsonNode s = input.path("shape");
        long[] shape = new long[s.size()];
        shape[0] = IMAGES;
        for (int i = 1; i < shape.length; i++) {
            shape[i] = s.get(i).asLong();
        }
        return shape;
    }

    private static Map<String, float[]> run(OrtSession session, String inputName, float[] in, long[] shape,
                                            Set<String> outputs) throws OrtException {
        Map<String, float[]> got = new java.util.HashMap<>();
        try (OnnxTensor t = OnnxTensor.createTensor(OrtSessions.env(), FloatBuffer.wrap(in), shape);
             OrtSession.Result r = session.run(Map.of(inputName, t), outputs)) {
            for (String o : outputs) {
                OnnxValue v = r.get(o).orElseThrow();
                TensorInfo info = (TensorInfo) v.getInfo();
                assertEquals(IMAGES, info.getShape()[0], o + ": batch dimension");
                FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                float[] a = new float[fb.remaining()];
                fb.get(a);
                got.put(o, a);
            }
        }
        return got;
    }

    private static int[] argmax(float[] v, int width) {
        int[] out = new int[v.length / width];
        for (int n = 0; n < out.length; n++) {
            int best = 0;
            for (int j = 1; j < width; j++) {
                if (v[n * width + j] > v[n * width + best]) {
                    best = j;
                }
            }
            out[n] = best;
        }
        return out;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
