package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hiddenactivity.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hav activations --spark writes the same files, byte for byte, as the local extraction. */
class DistributedActivationsTest {
    @Test
    void sameBytesAsTheLocalRun(@TempDir Path tmp) throws Exception {
        Path local = tmp.resolve("local.npy");
        Path spread = tmp.resolve("spark.npy");
        String[] common = {"activations", "--model", "mnist_mlp", "--layer", "2", "--epoch", "20", "--size", "1200",
                "--cache-dir", tmp.resolve("cache").toString(), "--fresh", "-q"};
        assertEquals(0, Main.run(concat(common, "--out", local.toString())));
        // three partitions of 500, 500 and 200 rows on two task slots
        assertEquals(0, Main.run(concat(common, "--out", spread.toString(), "--spark", "--master", "local[2]",
                "--partitions", "3")));
        for (String suffix : new String[] {"", ".pred", ".labels"}) {
            Path a = tmp.resolve("local" + suffix + ".npy");
            Path b = tmp.resolve("spark" + suffix + ".npy");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), b.getFileName().toString());
        }
        assertEquals(1200L * 256 * 4, Files.size(spread) - headerBytes(spread));
    }

    private static long headerBytes(Path npy) throws Exception {
        byte[] b = Files.readAllBytes(npy);
        return 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
