package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hidden-layer discovery on the researcher-style models of src/test/resources/fixtures (torch.onnx exports at opsets
 * 13 and 17, and graphs in tf2onnx's and hand-made forms; see its README): hav must find exactly the tensors the
 * export script proved to hold each layer (by value, against torch forward hooks), never the inner gates, with the
 * right kind, and its activations (feature maps one unit per channel) must equal the references to 1e-4.
 */
class FixtureDiscoveryTest {
    private static final int IMAGES = 200;
    /** The error cases have their own tests below. */
    private static final Set<String> ERROR_CASES = Set.of("five_class_mlp", "mixed_widths");
    /** The exporter's pattern names and the words of ours that must appear in the pattern hav reports. */
    private static final Map<String, String> PATTERNS = Map.ofEntries(Map.entry("gelu-erf", "gelu (erf form)"),
            Map.entry("gelu-tanh", "gelu (tanh form)"), Map.entry("gelu-native", "gelu"), Map.entry("silu", "silu"),
            Map.entry("mish", "mish"), Map.entry("hardswish", "hard-swish"), Map.entry("hardsigmoid", "hard-sigmoid"),
            Map.entry("leaky-relu", "leaky-relu"), Map.entry("prelu", "prelu"), Map.entry("elu", "elu"),
            Map.entry("selu", "selu"), Map.entry("celu", "celu"), Map.entry("softplus", "softplus"),
            Map.entry("softsign", "softsign"), Map.entry("tanh", "tanh"), Map.entry("sigmoid", "sigmoid"),
            Map.entry("relu", "relu"), Map.entry("global-average-pool", "global average pool"),
            Map.entry("reduce-mean", "mean over space"), Map.entry("residual-add", "residual add"));

    private static Dataset data;
    private static Path root;

    @BeforeAll
    static void load() throws URISyntaxException {
        data = Datasets.load("mnist", Split.TEST, null, IMAGES);
        root = Path.of(FixtureDiscoveryTest.class.getResource("/fixtures/models").toURI());
    }

    private static JsonNode expected(String name) throws IOException {
        return new ObjectMapper().readTree(root.resolve(name).resolve("expected.json").toFile());
    }

    private static List<String> fixtures() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = java.nio.file.Files.list(root)) {
            s.filter(d -> java.nio.file.Files.isRegularFile(d.resolve("expected.json")))
                    .forEach(d -> names.add(d.getFileName().toString()));
        }
        return new ArrayList<>(new TreeSet<>(names));
    }

    @TestFactory
    Stream<DynamicTest> findsExactlyTheLayersTheExporterProduced() throws IOException {
        return fixtures().stream().filter(n -> !ERROR_CASES.contains(n))
                .map(n -> DynamicTest.dynamicTest(n, () -> checkDiscovery(n)));
    }

    private static void checkDiscovery(String name) throws IOException {
        JsonNode exp = expected(name);
        Path dir = root.resolve(name);
        JsonNode last = exp.path("checkpoints").get(exp.path("checkpoints").size() - 1);
        ModelInspection in = ModelInspector.inspect(dir.resolve(last.path("file").asText()));
        List<String> wanted = new ArrayList<>();
        Set<String> defaults = new HashSet<>();
        for (JsonNode l : exp.path("hidden_layers")) {
            String tensor = l.path("onnx_tensor").asText();
            wanted.add(tensor);
            if (!l.path("role").asText().contains("inner") && !l.path("role").asText().contains("not a default")) {
                defaults.add(tensor);
            }
            Candidate c = in.candidate(tensor);
            assertTrue(c != null, name + ": " + tensor + " not found; found " + TestModels.names(in.candidates()));
            assertEquals(l.path("kind").asText(), c.kind().id(), name + ": kind of " + tensor);
            String words = PATTERNS.get(l.path("pattern").asText());
            assertTrue(words != null && c.pattern().contains(words), name + ": " + tensor + " is " + l.path("pattern")
                    + " but hav says " + c.pattern());
        }
        assertEquals(wanted, TestModels.names(in.candidates()), name + ": candidates in graph order");
        for (JsonNode inner : exp.path("inner_activation_tensors")) {
            assertNull(in.candidate(inner.asText()), name + ": the inner tensor " + inner + " is no layer");
        }
        assertEquals(defaults, new HashSet<>(TestModels.names(in.analysed())), name + ": default layers");
    }

    @TestFactory
    Stream<DynamicTest> activationsEqualTheExportingFramework() throws IOException {
        return fixtures().stream().filter(n -> !ERROR_CASES.contains(n))
                .map(n -> DynamicTest.dynamicTest(n, () -> checkActivations(n)));
    }

    private static void checkActivations(String name) throws IOException {
        JsonNode exp = expected(name);
        Path dir = root.resolve(name);
        List<String> tensors = new ArrayList<>();
        exp.path("hidden_layers").forEach(l -> tensors.add(l.path("onnx_tensor").asText()));
        float[] mean = null;
        float[] std = null;
        if (!exp.path("has_manifest").asBoolean()) {
            JsonNode n = exp.path("input").path("normalisation");
            mean = new float[] {(float) n.path("mean").get(0).asDouble()};
            std = new float[] {(float) n.path("std").get(0).asDouble()};
        }
        ModelSeries s = ModelSeries.resolve(dir.toString(), new ModelOptions(tensors, ConvUnits.CHANNEL, mean, std,
                null)).checkedFor(data);
        for (JsonNode cp : exp.path("checkpoints")) {
            Checkpoint checkpoint = s.checkpoint(cp.path("epoch").asInt());
            CheckpointActivations a = new ActivationExtractor().extract(s, checkpoint, data, Progress.NONE);
            String epochKey = cp.path("file").asText().replace(".onnx", "");
            for (int i = 0; i < tensors.size(); i++) {
                JsonNode l = exp.path("hidden_layers").get(i);
                JsonNode ref = l.has("channel_mean_reference") ? l.path("channel_mean_reference") : l.path("reference");
                Npy.Array r = Npy.read(dir.resolve(ref.path(epochKey).asText()));
                FloatMatrix got = a.values().get(i);
                assertEquals(r.values().length, got.rows() * got.cols(), name + " " + epochKey + " " + tensors.get(i));
                for (int k = 0; k < r.values().length; k++) {
                    double want = r.values()[k];
                    assertEquals(want, got.data()[k], 1e-4 * Math.max(1, Math.abs(want)), name + " " + epochKey + " "
                            + tensors.get(i) + " value " + k);
                }
            }
            int correct = 0;
            for (int k = 0; k < IMAGES; k++) {
                correct += a.predicted()[k] == data.labels()[k] ? 1 : 0;
            }
            assertEquals(cp.path("accuracy").asDouble(), correct / (double) IMAGES, 1e-12, name + " " + epochKey);
        }
    }

    @Test
    void aFiveClassModelOnTenClassDataIsRefused() {
        ModelSeries s = ModelSeries.resolve(root.resolve("five_class_mlp").toString());
        HavException e = assertThrows(HavException.class, () -> s.checkedFor(data));
        assertTrue(e.getMessage().contains("5 scores") && e.getMessage().contains("10 classes"), e.getMessage());
    }

    @Test
    void checkpointsOfDifferentWidthsAreRefusedNamingBothFiles() {
        ModelSeries s = ModelSeries.resolve(root.resolve("mixed_widths").toString());
        HavException e = assertThrows(HavException.class, () -> s.checkedFor(data));
        assertTrue(e.getMessage().contains("epoch_000.onnx") && e.getMessage().contains("epoch_001.onnx")
                && e.getMessage().contains("different networks"), e.getMessage());
    }

    @Test
    void normalisationOutsideTheGraphIsWarnedAboutAndTakenFromTheOptions() throws IOException {
        JsonNode exp = expected("norm_outside_mlp");
        Path dir = root.resolve("norm_outside_mlp");
        JsonNode last = exp.path("checkpoints").get(exp.path("checkpoints").size() - 1);
        ModelSeries plain;
        try (Warnings.Recorder w = Warnings.record()) {
            Warnings.resetOnce();
            plain = ModelSeries.resolve(dir.toString()).checkedFor(data);
            AnalysisContext.warnAssumptions(plain);
            assertTrue(w.warned("no input normalisation given") && w.warned("--mean"), w.warnings().toString());
        }
        ModelSeries given = ModelSeries.resolve(dir.toString(), new ModelOptions(List.of(), null,
                new float[] {0.1307f}, new float[] {0.3081f}, null)).checkedFor(data);
        assertEquals("--mean/--std", given.normalisation().origin());
        double withFlags = accuracy(given, last.path("epoch").asInt());
        double without = accuracy(plain, last.path("epoch").asInt());
        assertEquals(last.path("accuracy").asDouble(), withFlags, 1e-12);
        assertEquals(last.path("accuracy_without_normalisation").asDouble(), without, 1e-12);
        assertTrue(withFlags > without + 0.1, withFlags + " vs " + without);
    }

    private static double accuracy(ModelSeries s, int epoch) {
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoint(epoch), data, Progress.NONE);
        int correct = 0;
        for (int k = 0; k < IMAGES; k++) {
            correct += a.predicted()[k] == data.labels()[k] ? 1 : 0;
        }
        return correct / (double) IMAGES;
    }

    @Test
    void oneLayerAndOneCheckpointModelsResolve() {
        ModelSeries one = ModelSeries.resolve(root.resolve("one_layer_mlp").toString()).checkedFor(data);
        assertEquals(1, one.hiddenLayers().size());
        assertEquals(32, one.layer(1).units());
        ModelSeries single = ModelSeries.resolve(root.resolve("one_checkpoint").toString()).checkedFor(data);
        assertEquals(List.of(5), single.epochs());
    }
}
