package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hiddenactivity.model.ProjectHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hav runs at once in one JVM (as in a Spark executor running a batch): a report, and meanwhile other runs that
 * warn; the report lists its own warning and none of theirs.
 */
class ConcurrentRunsWarningsTest {
    @Test
    void aReportListsOnlyItsOwnRunsWarnings(@TempDir Path tmp) throws Exception {
        Path modelA = modelWithUnknownField(tmp.resolve("model_a"), "zz_only_in_run_a");
        Path modelB = modelWithUnknownField(tmp.resolve("model_b"), "zz_only_in_run_b");
        AtomicBoolean reportDone = new AtomicBoolean();
        AtomicInteger otherRuns = new AtomicInteger();
        List<Integer> otherExits = new ArrayList<>();
        Thread other = new Thread(() -> {
            // the other run warns about its manifest at every start, for as long as the report runs
            while (!reportDone.get()) {
                int exit = Main.run("inspect", modelB.toString(), "--json");
                synchronized (otherExits) {
                    otherExits.add(exit);
                }
                otherRuns.incrementAndGet();
            }
        });
        other.start();
        int exit;
        try {
            while (otherRuns.get() == 0) {
                Thread.sleep(20);
            }
            exit = Main.run("report", "--model", modelA.toString(), "--size", "150", "--iterations", "300",
                    "--image-size", "256", "--epochs", "0,100", "--threads", "1", "--cache-dir",
                    tmp.resolve("cache").toString(), "--out", tmp.resolve("report").toString(), "-q");
        } finally {
            reportDone.set(true);
            other.join();
        }
        assertEquals(0, exit);
        assertTrue(otherRuns.get() >= 2, "the other run ran while the report did");
        synchronized (otherExits) {
            assertTrue(otherExits.stream().allMatch(e -> e == 0), otherExits.toString());
        }
        JsonNode warnings = new ObjectMapper().readTree(tmp.resolve("report/report.json").toFile()).get("warnings");
        String text = warnings.toString();
        assertTrue(text.contains("zz_only_in_run_a"), text);
        assertTrue(!text.contains("zz_only_in_run_b"), "another run's warning in this report: " + text);
    }

    /** A copy of mnist_mlp whose manifest has one unknown field (hav warns about it when it reads the manifest). */
    private static Path modelWithUnknownField(Path dir, String field) throws Exception {
        Path source = ProjectHome.root().resolve("models/mnist_mlp");
        Files.createDirectories(dir);
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(dir.resolve("manifest.json").toFile());
        manifest.put(field, 1);
        json.writeValue(dir.resolve("manifest.json").toFile(), manifest);
        return dir;
    }
}
