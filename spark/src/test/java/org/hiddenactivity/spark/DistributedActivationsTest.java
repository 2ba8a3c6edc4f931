package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hiddenactivity.cli.Main;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Warnings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hav activations --spark writes the same files, byte for byte, as the local extraction, and the tasks of an executor
 * share one onnxruntime session.
 */
class DistributedActivationsTest {
    @Test
    void sameBytesAsTheLocalRun(@TempDir Path tmp) throws Exception {
        Path local = tmp.resolve("local.npy");
        Path spread = tmp.resolve("spark.npy");
        String[] common = {"activations", "--model", "mnist_mlp", "--layer", "2", "--epoch", "20", "--size", "1200",
                "--cache-dir", tmp.resolve("cache").toString(), "--fresh", "-q"};
        assertEquals(0, Main.run(concat(common, "--out", local.toString())));
        // three partitions of 500, 500 and 200 rows on two task slots of one executor (the driver, in local mode)
        try (Warnings.Recorder r = Warnings.record()) {
            assertEquals(0, Main.run(concat(common, "--out", spread.toString(), "--spark", "--master", "local[2]",
                    "--partitions", "3")));
            assertTrue(r.messages().stream().anyMatch(m -> m.text().equals("activations on Spark: 3 partition(s) on"
                    + " 1 executor(s) [driver], 1 onnxruntime session(s) opened")), r.messages().toString());
        }
        for (String suffix : new String[] {"", ".pred", ".labels"}) {
            Path a = tmp.resolve("local" + suffix + ".npy");
            Path b = tmp.resolve("spark" + suffix + ".npy");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), b.getFileName().toString());
        }
        assertEquals(1200L * 256 * 4, Files.size(spread) - headerBytes(spread));
    }

    @Test
    void havsOwnErrorOnAnExecutorReachesTheUser() {
        org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf().setAppName("hav executor error test")
                .setMaster("local[1]").set("spark.ui.enabled", "false");
        Exception failed;
        try (org.apache.spark.api.java.JavaSparkContext jsc = new org.apache.spark.api.java.JavaSparkContext(conf)) {
            failed = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> jsc.parallelize(
                    java.util.List.of(1), 1).map(i -> {
                        throw new HavException("this Java process's command line", "too long", "shorten it");
                    }).collect());
        }
        RuntimeException e = DistributedActivations.executorFailure(failed);
        HavException h = org.junit.jupiter.api.Assertions.assertInstanceOf(HavException.class, e);
        assertEquals(HavException.EXIT_RUNTIME, h.exitCode());
        assertEquals("extraction failed there: this Java process's command line: too long (shorten it)",
                h.problem());
    }

    static long headerBytes(Path npy) throws Exception {
        byte[] b = Files.readAllBytes(npy);
        return 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
