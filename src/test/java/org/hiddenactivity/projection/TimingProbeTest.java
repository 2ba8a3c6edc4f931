package org.hiddenactivity.projection;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.junit.jupiter.api.Test;
class TimingProbeTest {
    @Test
    void probe() throws Exception {
        for (String n : System.getProperty("probe.n", "60000").split(",")) {
            FloatMatrix x = Npy.readMatrix(java.nio.file.Path.of("generated/bench/mnist_train_z_" + n + ".npy"));
            String l0 = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            System.out.printf("XX n=%s %s load before %s after %s%n", n, KnnRecall.measure(x, 90, 2), l0,
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        }
    }
}
