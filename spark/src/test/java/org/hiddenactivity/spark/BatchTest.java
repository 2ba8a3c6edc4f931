package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.hiddenactivity.cli.BatchCommand;
import org.hiddenactivity.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small batch on Spark in local mode (2 task slots, 2 attempts per task): a report run whose first attempt is
 * killed between staging and commit, and a run that fails. Then the same report alone, a rerun and a --fresh rerun.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OPTIONS = List.of("--size", "150", "--iterations", "300", "--image-size", "256",
            "--epochs", "0,100", "--threads", "1");

    @TempDir
    static Path tmp;
    static Path out;
    static Batch.Outcome first;

    @BeforeAll
    static void runBatch() throws Exception {
        out = tmp.resolve("batch");
        System.setProperty(RunTask.CRASH_PROPERTY, "a");
        try {
            first = Batch.execute(request(false));
        } finally {
            System.clearProperty(RunTask.CRASH_PROPERTY);
        }
    }

    static BatchCommand.Request request(boolean fresh) throws Exception {
        Path plan = tmp.resolve("plan.json");
        List<String> a = new ArrayList<>(OPTIONS);
        a.addAll(List.of("--cache-dir", tmp.resolve("cache-batch").toString()));
        String text = "{\"runs\": [{\"name\": \"a\", \"model\": \"mnist_mlp\", \"options\": " + JSON.writeValueAsString(a)
                + "}, {\"name\": \"bad\", \"model\": \"no_<b>_model\", \"options\": [\"--size\", \"150\"]}]}";
        Files.writeString(plan, text);
        return new BatchCommand.Request(plan.toString(), out.toString(), "local[2,2]", fresh, true, true);
    }

    @Test
    @Order(1)
    void aFailedRunIsRecordedAndTheOthersComplete() throws Exception {
        JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
        assertTrue(index.get("complete").asBoolean());
        JsonNode a = index.get("runs").get(0);
        JsonNode bad = index.get("runs").get(1);
        assertEquals("done", a.get("status").asText());
        assertEquals("failed", bad.get("status").asText());
        assertEquals(2, bad.get("exit_code").asInt());
        assertTrue(bad.get("message").asText().contains("no_<b>_model"), bad.get("message").asText());
        assertEquals(1, first.count("failed"));
    }

    @Test
    @Order(2)
    void aRetriedTaskLeavesOneCompleteOutput() throws Exception {
        JsonNode a = JSON.readTree(out.resolve("index.json").toFile()).get("runs").get(0);
        assertEquals(1, a.get("attempt").asInt(), "the first attempt was killed after staging");
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            assertEquals(List.of("a"), runs.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertFalse(Files.exists(out.resolve(BatchFiles.STAGING)), "no staged attempt is left");
        Path run = out.resolve("runs/a");
        assertTrue(Files.isRegularFile(run.resolve("report.json")));
        assertTrue(Files.isRegularFile(run.resolve("index.html")));
        assertEquals(1, JSON.readTree(run.resolve(BatchFiles.RUN_RECORD).toFile()).get("attempt").asInt());
        try (Stream<Path> all = Files.walk(out)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".crc")), "no Hadoop checksum files");
        }
    }

    @Test
    @Order(3)
    void aRunInTheBatchGivesTheNumbersOfTheRunAlone() throws Exception {
        Path alone = tmp.resolve("alone");
        List<String> args = new ArrayList<>(List.of("report", "--model", "mnist_mlp"));
        args.addAll(OPTIONS);
        args.addAll(List.of("--cache-dir", tmp.resolve("cache-alone").toString(), "--out", alone.toString(), "-q"));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        JsonNode inBatch = withoutTimings(JSON.readTree(out.resolve("runs/a/report.json").toFile()).get("results"));
        JsonNode byItself = withoutTimings(JSON.readTree(alone.resolve("report.json").toFile()).get("results"));
        assertTrue(inBatch.size() > 5);
        assertEquals(byItself, inBatch);
    }

    @Test
    @Order(4)
    void comparisonFilesHoldTheReportsNumbersAndEscapeText() throws Exception {
        JsonNode report = JSON.readTree(out.resolve("runs/a/report.json").toFile()).get("results");
        JsonNode row = JSON.readTree(out.resolve("comparison.json").toFile()).get("runs").get(0);
        int n = report.get("projection").get("observations").asInt();
        JsonNode last = report.get("epochs").get("steps").get(1);
        assertEquals(1 - last.get("misclassified").asDouble() / n, row.get("accuracy_per_epoch").get("100").asDouble(), 1e-12);
        assertEquals(report.get("layers").get("steps").get(3).get("neighbourhood_hit_k6").asDouble(),
                row.get("neighbourhood_hit_k6_per_layer").get("4").asDouble(), 1e-12);
        assertEquals(report.get("discriminative").get("after").get("specialisation").asDouble(),
                row.get("specialisation_after").asDouble(), 1e-12);
        assertTrue(Files.isRegularFile(out.resolve(row.get("thumbnail").asText())));
        assertEquals("runs/a/index.html", row.get("report").asText());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("no_&lt;b&gt;_model") && !html.contains("no_<b>_model"), "file text is escaped");
        assertTrue(html.contains("src=\"runs/a/figures/") && html.contains("href=\"runs/a/index.html\""));
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("a,report,mnist_mlp,mnist,done,"), csv.get(1));
    }

    @Test
    @Order(5)
    void aRerunSkipsCompleteRunsUnlessFresh() throws Exception {
        JsonNode before = JSON.readTree(out.resolve("runs/a").resolve(BatchFiles.RUN_RECORD).toFile());
        Batch.Outcome again = Batch.execute(request(false));
        assertEquals("skipped", again.results().get(0).status());
        assertEquals("failed", again.results().get(1).status(), "a failed run is tried again");
        assertEquals(before, JSON.readTree(out.resolve("runs/a").resolve(BatchFiles.RUN_RECORD).toFile()));

        Batch.Outcome fresh = Batch.execute(request(true));
        assertEquals("done", fresh.results().get(0).status());
        JsonNode after = JSON.readTree(out.resolve("runs/a").resolve(BatchFiles.RUN_RECORD).toFile());
        assertNotEquals(before.get("batch_id"), after.get("batch_id"));
        assertEquals(fresh.batchId(), after.get("batch_id").asText());
        assertFalse(Files.exists(out.resolve(BatchFiles.STAGING)));
    }

    /** The results without wall-clock times (the only numbers that may differ between two runs). */
    static JsonNode withoutTimings(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (f.contains("seconds") || f.contains("timings")) {
                    it.remove();
                }
            }
            o.forEach(BatchTest::strip);
        } else if (n.isArray()) {
            n.forEach(BatchTest::strip);
        }
    }
}
