package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsneCommandTest {
    @TempDir
    Path dir;

    private static String captureOut(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheEmbeddingAndPrintsMetrics() {
        Random r = new Random(1);
        float[] v = new float[150 * 4];
        int[] labels = new int[150];
        for (int i = 0; i < 150; i++) {
            labels[i] = i % 2;
            for (int c = 0; c < 4; c++) {
                v[i * 4 + c] = (float) r.nextGaussian() + (c == 0 ? 15 * labels[i] : 0);
            }
        }
        Npy.write(dir.resolve("x.npy"), new FloatMatrix(150, 4, v));
        Npy.write(dir.resolve("y.npy"), labels);
        int[] code = new int[1];
        String out = captureOut(() -> code[0] = Main.run("tsne", "--input", dir.resolve("x.npy").toString(),
                "--labels", dir.resolve("y.npy").toString(), "--out", dir.resolve("e.npy").toString(),
                "--iterations", "300", "--threads", "2", "--json", "-q"));
        assertEquals(0, code[0], out);
        FloatMatrix e = Npy.readMatrix(dir.resolve("e.npy"));
        assertEquals(150, e.rows());
        assertEquals(2, e.cols());
        assertTrue(out.contains("\"trustworthiness\""), out);
        assertTrue(out.contains("\"neighbourhood_hit\":1.0"), out);
    }

    @Test
    void badInputExitsWithCode2() throws Exception {
        Npy.write(dir.resolve("v.npy"), new double[] {1, 2, 3});
        assertEquals(HavException.EXIT_BAD_INPUT, Main.run("tsne", "--input", dir.resolve("v.npy").toString(),
                "--out", dir.resolve("e.npy").toString(), "-q"));
        Files.writeString(dir.resolve("junk.npy"), "not numpy");
        assertEquals(HavException.EXIT_BAD_INPUT, Main.run("tsne", "--input", dir.resolve("junk.npy").toString(),
                "--out", dir.resolve("e.npy").toString(), "-q"));
        assertEquals(HavException.EXIT_BAD_INPUT, Main.run("tsne", "--input", dir.resolve("missing.npy").toString(),
                "--out", dir.resolve("e.npy").toString(), "--backend", "cuda", "-q"));
        assertTrue(!Files.exists(dir.resolve("e.npy")));
    }

    @Test
    void float64InputOfAnyFiniteScaleGivesTheSameEmbedding() throws Exception {
        // issue 18, item 5: float64 data x 1e-50 got "no variance", x 1e300 was refused as Infinity
        Random r = new Random(5);
        int n = 90;
        int d = 3;
        double[] base = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                base[i * d + c] = r.nextGaussian() + (c == 0 ? 8 * (i % 3) : 0);
            }
        }
        byte[] reference = null;
        String referenceOut = null;
        for (double scale : new double[] {1, 1e-50, 1e300}) {
            java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(8 * base.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (double v : base) {
                body.putDouble(v * scale);
            }
            Path x = dir.resolve("x" + scale + ".npy");
            Npy.writeRaw(x, "<f8", new int[] {n, d}, body.array());
            Path e = dir.resolve("e" + scale + ".npy");
            int[] code = new int[1];
            String out = captureOut(() -> code[0] = Main.run("tsne", "--input", x.toString(), "--out", e.toString(),
                    "--iterations", "250", "--threads", "1", "--json", "-q"));
            assertEquals(0, code[0], "scale " + scale + ": " + out);
            String metrics = out.replaceAll("\"(input|out|seconds|metrics_seconds)\":[^,}]*", "");
            if (reference == null) {
                reference = Files.readAllBytes(e);
                referenceOut = metrics;
                java.util.regex.Matcher t = java.util.regex.Pattern.compile("\"trustworthiness\":([0-9.]+)").matcher(out);
                assertTrue(t.find() && Double.parseDouble(t.group(1)) > 0.8, out);
            } else {
                assertTrue(java.util.Arrays.equals(reference, Files.readAllBytes(e)), "scale " + scale
                        + " gives another embedding");
                assertEquals(referenceOut, metrics, "scale " + scale);
            }
        }
    }

    @Test
    void metricsThatCannotBeComputedAreNullWithAReason() {
        // issue 18, item 11: with N = 2 the JSON had "knn_preservation": "NaN" as a string
        Npy.write(dir.resolve("two.npy"), new FloatMatrix(2, 3, new float[] {0, 1, 2, 3, 4, 5}));
        int[] code = new int[1];
        String out = captureOut(() -> code[0] = Main.run("tsne", "--input", dir.resolve("two.npy").toString(),
                "--out", dir.resolve("e2.npy").toString(), "--iterations", "250", "--json", "-q"));
        assertEquals(0, code[0], out);
        assertTrue(!out.contains("NaN"), out);
        assertTrue(out.contains("\"trustworthiness\":null,\"trustworthiness_reason\":\"2 points are too few"), out);
        assertTrue(out.contains("\"knn_preservation\":1.0"), out);
    }
}
