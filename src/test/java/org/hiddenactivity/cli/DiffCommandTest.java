package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out) {}

    /** hav diff in this JVM; stdout captured (the result), messages go to stderr as usual. */
    private static Run hav(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    private static RunProvenance provenance(TsneParameters tsne, String created) {
        return new RunProvenance(RunProvenance.SCHEMA, "report", created, "1.0+abc",
                new Environment.Info("1.0", "OpenJDK 17", "Linux", 2, 4096, "1.5.13", "4.10", "1.22"), "mnist_mlp",
                new TreeMap<>(Map.of("epoch 0", "aa")), Map.of("dir", "models/mnist_mlp"), "none", "mnist", "cc",
                "mnist/test", 400, 0, tsne, "cpu", "cpu", "2 threads", new TreeMap<>(), 0.1, true, 2048);
    }

    private Path write(String name, RunProvenance p, double trust, double seconds) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("layers", Map.of("steps", List.of(Map.of("trustworthiness_k12", trust, "misclassified", 12))));
        numbers.put("timings_seconds", Map.of("t-SNE", seconds));
        numbers.put("total_seconds", seconds);
        Path file = dir.resolve(name);
        Results.writeJson(file, numbers, p);
        return file;
    }

    @Test
    void sameRunsDifferOnlyInTimingsAndExitZero() {
        TsneParameters p = TsneParameters.defaults();
        Path a = write("a.json", provenance(p, "2026-01-01T00:00:00Z"), 0.95, 10);
        Path b = write("b.json", provenance(p, "2026-01-02T00:00:00Z"), 0.95, 12);
        Run r = hav("diff", a.toString(), b.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("same provenance and numbers"), r.out());
        assertEquals(DiffCommand.EXIT_DIFFERENT, hav("diff", "--timings", a.toString(), b.toString()).code());
    }

    @Test
    void differencesInSettingsAndNumbersAreListedAndExitOne() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        Path b = write("b.json", provenance(TsneParameters.defaults().withPerplexity(20), "t2"), 0.93, 10);
        Run r = hav("diff", a.toString(), b.toString());
        assertEquals(DiffCommand.EXIT_DIFFERENT, r.code(), r.out());
        assertTrue(r.out().contains("tsne.perplexity: 30.0 -> 20.0"), r.out());
        assertTrue(r.out().contains("layers.steps[0].trustworthiness_k12: 0.95 -> 0.93"), r.out());
        assertFalse(r.out().contains("created"), "the creation time always differs: " + r.out());
        Run json = hav("diff", "--json", a.toString(), b.toString());
        assertEquals(DiffCommand.EXIT_DIFFERENT, json.code());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertFalse(doc.get("same").asBoolean());
        assertEquals(2, doc.get("differences").size(), json.out());
        assertEquals("provenance", doc.at("/differences/0/section").asText());
        // a tolerance larger than the change makes the numbers equal
        Run tolerant = hav("diff", "--tolerance", "0.05", a.toString(), b.toString());
        assertFalse(tolerant.out().contains("trustworthiness"), tolerant.out());
    }

    @Test
    void badInputIsExitTwo() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"results\": {}, \"provenance\": {\"command\": \"x\"}}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{");
        assertEquals(2, hav("diff", a.toString(), dir.resolve("missing.json").toString()).code());
        assertEquals(2, hav("diff", a.toString(), foreign.toString()).code());
        assertEquals(2, hav("diff", a.toString(), broken.toString()).code());
        assertEquals(2, hav("diff", a.toString()).code());
        assertEquals(2, hav("diff", a.toString(), dir.toString()).code());
        assertEquals(0, hav("diff", "--help").code());
    }

    @Test
    void timingPathsAreRecognised() {
        assertTrue(DiffCommand.isTiming("timings_seconds.t-SNE"));
        assertTrue(DiffCommand.isTiming("projection.tsne_seconds"));
        assertTrue(DiffCommand.isTiming("steps[0].seconds"));
        assertFalse(DiffCommand.isTiming("layers.steps[0].kl_divergence"));
    }
}
