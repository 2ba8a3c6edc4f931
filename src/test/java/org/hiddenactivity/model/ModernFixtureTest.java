package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The modern-architecture fixtures of issue 17 (src/test/resources/fixtures/modern, made by export_modern.py with
 * torch.onnx at opsets 11 to 17): hav's default layers must be exactly the tensors a researcher means, in graph
 * order, each equal to torch's forward-hook values to 1e-4 (normalisation internals, gates, logits, token positions
 * and recurrent internals are never among them), and the class scores read from the output expected.json names.
 */
class ModernFixtureTest {
    private static Path root;
    private static Dataset data;

    @BeforeAll
    static void load() throws URISyntaxException {
        root = Path.of(ModernFixtureTest.class.getResource("/fixtures/modern").toURI());
        Npy.Array x = Npy.read(root.resolve("input.npy"));
        int n = x.shape()[0];
        float[] px = new float[x.values().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) x.values()[i];
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
        }
        data = new Dataset("modern-fixture-input", Split.TEST, new FloatMatrix(n, px.length / n, px), labels, 1, 12,
                12, List.of("a", "b", "c", "d"), "modern-fixture-input", "src/test/resources/fixtures/modern");
    }

    static List<String> folders() throws IOException, URISyntaxException {
        Path r = Path.of(ModernFixtureTest.class.getResource("/fixtures/modern").toURI());
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(r)) {
            s.filter(d -> Files.isRegularFile(d.resolve("expected.json"))).forEach(d -> names.add(d.getFileName()
                    .toString()));
        }
        return new ArrayList<>(names);
    }

    @TestFactory
    Stream<DynamicTest> defaultLayersAreTheOnesMeantAndEqualTorch() throws Exception {
        return folders().stream().map(n -> DynamicTest.dynamicTest(n, () -> check(n)));
    }

    private static void check(String folder) throws IOException {
        Path dir = root.resolve(folder);
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        ModelSeries s = ModelSeries.resolve(dir.toString(), new ModelOptions(List.of(), ConvUnits.CHANNEL, null, null,
                null)).checkedFor(data);
        assertEquals(exp.path("class_output").asText(), s.classOutput().tensor(), folder + ": the class-score output ("
                + s.classOutput().reason() + ")");
        List<String> chosen = s.hiddenLayers().stream().map(l -> l.tensor() + " (" + l.pattern() + ")").toList();
        JsonNode layers = exp.path("default_layers");
        List<String> meant = new ArrayList<>();
        layers.forEach(l -> meant.add(l.path("module").asText() + ": " + l.path("what").asText()));
        assertEquals(layers.size(), s.hiddenLayers().size(), folder + ": default layers " + chosen + ", meant "
                + meant);
        if (exp.has("all_candidates")) {
            // no tensor inside a block may even be offered: the candidates are exactly the meant layers
            List<String> all = new ArrayList<>();
            exp.path("all_candidates").forEach(t -> all.add(t.asText()));
            assertEquals(all, ModelInspector.inspect(s.checkpoint(0).path(), s.classOutput()).candidates().stream()
                    .map(Candidate::tensor).toList(), folder + ": every candidate");
        }
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoint(0), data, Progress.NONE);
        for (int i = 0; i < layers.size(); i++) {
            Npy.Array r = Npy.read(dir.resolve(layers.get(i).path("reference").asText()));
            FloatMatrix got = a.values().get(i);
            String what = folder + ": layer " + (i + 1) + " " + chosen.get(i) + " should be " + meant.get(i);
            assertEquals(r.values().length, got.rows() * got.cols(), what + " (value count)");
            for (int k = 0; k < r.values().length; k++) {
                double want = r.values()[k];
                assertTrue(Math.abs(want - got.data()[k]) <= 1e-4 * Math.max(1, Math.abs(want)), what + ": value " + k
                        + " is " + got.data()[k] + ", torch " + want);
            }
        }
        JsonNode predictions = exp.path("predictions");
        for (int k = 0; k < data.size(); k++) {
            assertEquals(predictions.get(k).asInt(), a.predicted()[k], folder + ": prediction " + k);
        }
    }
}
