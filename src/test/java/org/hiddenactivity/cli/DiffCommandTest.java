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

    private record Run(int code, String out, String err) {}

    /** hav diff in this JVM; stdout (the result) and stderr (the messages) captured. */
    private static Run hav(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    private static RunProvenance provenance(TsneParameters tsne, String created) {
        return new RunProvenance(RunProvenance.SCHEMA, "report", created, "1.0+abc",
                new Environment.Info("1.0", "OpenJDK 17", "Linux", 2, 4096, "1.5.13", "4.10", "1.22"), "mnist_mlp",
                new TreeMap<>(Map.of("epoch 0", "aa")), Map.of("dir", "models/mnist_mlp"), "none", "mnist", "cc",
                "mnist/test", 400, 0, tsne, "cpu", "cpu", "2 threads", new TreeMap<>(), 0.1, true, 2048);
    }

    private Path write(String name, RunProvenance p, double trust, double seconds) {
        return write(name, p, trust, seconds, List.of());
    }

    private Path write(String name, RunProvenance p, double trust, double seconds, List<Map<String, Object>> findings) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("findings", findings);
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
        assertTrue(r.out().contains("same findings, numbers and provenance"), r.out());
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
        assertEquals("results", doc.at("/differences/0/section").asText());
        assertEquals("provenance", doc.at("/differences/1/section").asText());
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

    private static Map<String, Object> finding(String id, boolean verdict, double change) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("text", id + (verdict ? " is a finding" : " is within its uncertainty"));
        f.put("finding", verdict);
        f.put("change", change);
        f.put("interval_95", List.of(change - 0.01, change + 0.01));
        return f;
    }

    @Test
    void aChangedVerdictIsTheFirstLineBeforeManyChangedNumbers() throws Exception {
        TsneParameters p = TsneParameters.defaults();
        List<Map<String, Object>> fa = new java.util.ArrayList<>();
        List<Map<String, Object>> fb = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // 60 findings whose numbers change but not their verdict or sign, listed before the one that flips
            fa.add(finding("steady_" + i, true, 0.5 + i));
            fb.add(finding("steady_" + i, true, 0.6 + i));
        }
        fa.add(finding("flips", true, 0.02));
        fb.add(finding("flips", false, 0.004));
        fa.add(finding("turns", true, 0.05));
        fb.add(finding("turns", true, -0.05));
        Path a = write("a.json", provenance(p, "t1"), 0.95, 10, fa);
        Path b = write("b.json", provenance(p, "t2"), 0.90, 10, fb);
        Run r = hav("diff", a.toString(), b.toString());
        assertEquals(DiffCommand.EXIT_DIFFERENT, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("changed finding flips: verdict finding -> within uncertainty"), r.out());
        assertTrue(r.out().contains("changed finding turns: sign + -> -"), r.out());
        assertFalse(r.out().contains("changed finding steady_"), r.out());
        // the changed numbers follow, by finding id rather than list position
        assertTrue(r.out().indexOf("findings.steady_0.change") > r.out().indexOf("changed finding turns"), r.out());
        JsonNode doc = new ObjectMapper().readTree(hav("diff", "--json", a.toString(), b.toString()).out());
        assertEquals(2, doc.get("changed_findings").size());
        assertEquals("flips", doc.at("/changed_findings/0/id").asText());
    }

    @Test
    void floatNoiseIsNeverCountedAtTheDefaultTolerance() {
        TsneParameters p = TsneParameters.defaults();
        List<Map<String, Object>> fa = List.of(finding("zero", false, 0.0));
        List<Map<String, Object>> fb = List.of(finding("zero", false, 1e-17));
        Path a = write("a.json", provenance(p, "t1"), 0.1 + 0.2, 10, fa);
        Path b = write("b.json", provenance(p, "t2"), 0.3, 10, fb);
        Run r = hav("diff", a.toString(), b.toString());
        assertEquals(0, r.code(), r.out());
        // 0 against 1e-17 is noise even though it is a relative difference of 1; the sign test ignores it too
        assertEquals(DiffCommand.EXIT_DIFFERENT, hav("diff", "--tolerance", "0", "--absolute-tolerance", "0",
                a.toString(), b.toString()).code());
        Path c = write("c.json", provenance(p, "t3"), 0.3 * (1 + 1e-5), 10, fb);
        assertEquals(DiffCommand.EXIT_DIFFERENT, hav("diff", b.toString(), c.toString()).code(), "1e-5 is a change");
    }

    private static RunProvenance provenanceIn(String root) {
        return new RunProvenance(RunProvenance.SCHEMA, "report", "t", "1.0+abc",
                new Environment.Info("1.0", "OpenJDK 17", "Linux", 2, 4096, "1.5.13", "4.10", "1.22"), "mnist_mlp",
                new TreeMap<>(Map.of("epoch 0", "aa")), Map.of("dir", root + "/models/mnist_mlp", "manifest",
                root + "/models/mnist_mlp/manifest.json"), "mean=[0.1307] from " + root
                + "/models/mnist_mlp/manifest.json", "mnist", "cc", "mnist/test", 400, 0, TsneParameters.defaults(),
                "cpu", "cpu", "2 threads", new TreeMap<>(), 0.1, true, 2048);
    }

    @Test
    void theSameFilesInAnotherFolderAreNotADifference() {
        Path a = write("a.json", provenanceIn("/home/alice/hav"), 0.95, 10);
        Path b = write("b.json", provenanceIn("/work/main"), 0.95, 10);
        Run r = hav("diff", a.toString(), b.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("3 provenance paths differ only in their absolute folder"), r.out());
        Run every = hav("diff", "--all", a.toString(), b.toString());
        assertEquals(DiffCommand.EXIT_DIFFERENT, every.code());
        assertTrue(every.out().contains("/home/alice/hav/models/mnist_mlp"), every.out());
        // another model folder is a difference
        Path c = write("c.json", provenanceIn("/work/main/other"), 0.95, 10);
        assertEquals(0, hav("diff", b.toString(), c.toString()).code(), "models/mnist_mlp is the same tail");
        RunProvenance renamed = new RunProvenance(RunProvenance.SCHEMA, "report", "t", "1.0+abc",
                new Environment.Info("1.0", "OpenJDK 17", "Linux", 2, 4096, "1.5.13", "4.10", "1.22"), "mnist_mlp",
                new TreeMap<>(Map.of("epoch 0", "aa")), Map.of("dir", "/work/main/models/mnist_cnn", "manifest",
                "/work/main/models/mnist_mlp/manifest.json"), "mean=[0.1307] from /work/main/models/mnist_mlp/"
                + "manifest.json", "mnist", "cc", "mnist/test", 400, 0, TsneParameters.defaults(), "cpu", "cpu",
                "2 threads", new TreeMap<>(), 0.1, true, 2048);
        Run other = hav("diff", b.toString(), write("d.json", renamed, 0.95, 10).toString());
        assertEquals(DiffCommand.EXIT_DIFFERENT, other.code(), other.out());
        assertTrue(other.out().contains("mnist_cnn"), other.out());
    }

    @Test
    void aFifoIsNotAMissingFileAndIsNeverOpened() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        Run r = hav("diff", a.toString(), fifo.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a regular file"), r.err());
        assertFalse(r.err().contains("does not exist") || r.err().contains("not found"), r.err());
        Run missing = hav("diff", a.toString(), dir.resolve("missing.json").toString());
        assertTrue(missing.err().contains("not found"), missing.err());
    }

    @Test
    void theSizeCapIsCheckedBeforeReading() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        Path big = dir.resolve("big.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(200L << 20); // sparse: 200 MiB of NUL bytes, which as JSON would be "not valid JSON"
        }
        Run r = hav("diff", a.toString(), big.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(big.toString()) && r.err().contains("200.0 MiB, more than the 64 MiB")
                && r.err().contains("--max-size 201"), r.err());
        assertFalse(r.err().contains("--size ") || r.err().contains("not valid JSON"), r.err());
        Run small = hav("diff", "--max-size", "1", a.toString(), big.toString());
        assertTrue(small.err().contains("more than the 1 MiB"), small.err());
    }

    @Test
    void outOfMemoryNamesTheFileAndDiffsOwnLevers() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        long heap = Runtime.getRuntime().maxMemory();
        Path huge = dir.resolve("huge.json");
        long size = Math.min(heap / 2, 2000L << 20); // under the cap given below, far over what a tree of it needs
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(size);
        }
        Run r = hav("diff", "--max-size", String.valueOf((size >> 20) + 1), a.toString(), huge.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains(huge.toString()) && r.err().contains("--max-size")
                && r.err().contains("HAV_JAVA_OPTS"), r.err());
        assertFalse(r.err().contains("--size "), "diff has no --size: " + r.err());
    }

    @Test
    void aMegabyteNumberGetsItsOwnReason() throws Exception {
        Path a = write("a.json", provenance(TsneParameters.defaults(), "t1"), 0.95, 10);
        Path number = dir.resolve("number.json");
        Files.writeString(number, "{\"provenance\": {}, \"x\": " + "1".repeat(1_000_000) + "}");
        Run r = hav("diff", a.toString(), number.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a number 1000000 characters long"), r.err());
        assertFalse(r.err().contains("StreamReadConstraints"), r.err());
        Path text = dir.resolve("text.json");
        Files.writeString(text, "{\"provenance\": {\"schema\": \"" + "a".repeat(1_000_000) + "\"}}");
        Run t = hav("diff", a.toString(), text.toString());
        assertEquals(2, t.code());
        assertTrue(t.err().contains(text.toString()) && t.err().length() < 2000, t.err());
    }
}
