package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same input and seed, same bytes: on the first call in a JVM and on later calls, at 1, 2 and 3 threads, for every
 * projection method (t-SNE on data and on a dissimilarity matrix, UMAP, PCA) and for the neuron maps' path (1 - |r|
 * by OpenBLAS, then t-SNE: its first call in a JVM used to differ, issue 20). The first
 * calls run in a fresh JVM ({@link DeterminismProbe}), since this test's JVM has run other tests before.
 */
class ProjectionDeterminismTest {
    @Test
    void firstAndLaterCallsAndEveryThreadCountGiveTheSameBytes() throws Exception {
        Map<String, String> fresh = parse(runProbeInFreshJvm());
        Map<String, String> here = DeterminismProbe.run();
        assertEquals(here.keySet(), fresh.keySet());
        for (String method : List.of("neurons", "tsne", "tsne-precomputed", "umap", "pca", "metrics",
                "metrics-exact")) {
            String expected = fresh.get(method + "#0@3");
            for (Map<String, String> calls : List.of(fresh, here)) {
                calls.forEach((key, hash) -> {
                    if (key.startsWith(method + "#")) {
                        assertEquals(expected, hash, method + ": call " + key + " differs from the JVM's first");
                    }
                });
            }
        }
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && parts[0].contains("#")) {
                m.put(parts[0], parts[1]);
            }
        }
        return m;
    }

    private static String runProbeInFreshJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                DeterminismProbe.class.getName()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the probe JVM did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
