package org.hiddenactivity.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsneBenchmarkTest {
    @TempDir
    Path dir;

    private Path[] input() {
        Random r = new Random(2);
        float[] v = new float[120 * 5];
        int[] y = new int[120];
        for (int i = 0; i < 120; i++) {
            y[i] = i % 3;
            for (int c = 0; c < 5; c++) {
                v[i * 5 + c] = (float) r.nextGaussian() + (c == y[i] ? 12 : 0);
            }
        }
        Npy.write(dir.resolve("x.npy"), new FloatMatrix(120, 5, v));
        Npy.write(dir.resolve("y.npy"), y);
        return new Path[] {dir.resolve("x.npy"), dir.resolve("y.npy")};
    }

    private TsneBenchmark.Config config(Path[] in, List<String> peers) {
        return new TsneBenchmark.Config(List.of(in[0]), List.of(in[1]), List.of("cpu", "cuda"), peers, 1, 2,
                TsneParameters.defaults().withMaxIter(300), dir.resolve("out.jsonl"), Path.of("benchmarks", "peers"),
                "/usr/bin/python3", "Rscript", null);
    }

    @Test
    void recordsOneJsonLinePerRunWithEveryField() throws Exception {
        new TsneBenchmark(config(input(), List.of())).run();
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        // cuda is not built here: skipped with a message, not recorded
        assertEquals(1, lines.size());
        JsonNode rec = new ObjectMapper().readTree(lines.get(0));
        for (String field : List.of("tool", "version", "machine", "threads", "n", "d", "seconds", "cpu_seconds", "kl",
                "trustworthiness", "knn_preservation", "neighbourhood_hit", "date", "command")) {
            assertTrue(rec.has(field), field + " missing in " + rec);
        }
        assertEquals("hav-cpu", rec.get("tool").asText());
        assertEquals(120, rec.get("n").asInt());
        assertTrue(rec.get("neighbourhood_hit").asDouble() > 0.95, rec.toString());
        assertTrue(rec.get("machine").has("cpu_model"));
    }

    @Test
    void scikitLearnPeerRunsOnTheSameInput() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import sklearn").start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "scikit-learn not installed");
        new TsneBenchmark(config(input(), List.of("sklearn"))).run();
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        assertEquals(2, lines.size());
        JsonNode rec = new ObjectMapper().readTree(lines.get(1));
        assertEquals("sklearn", rec.get("tool").asText());
        assertTrue(rec.get("trustworthiness").asDouble() > 0.9, rec.toString());
    }
}
