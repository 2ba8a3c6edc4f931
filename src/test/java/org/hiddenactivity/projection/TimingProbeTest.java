package org.hiddenactivity.projection;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;
class TimingProbeTest {
    @Test
    void probe() throws Exception {
        for (String n : System.getProperty("probe.n", "20000").split(",")) {
            FloatMatrix x = Npy.readMatrix(java.nio.file.Path.of("generated/bench/mnist_train_z_" + n + ".npy"));
            for (String rep : System.getProperty("probe.rep", "BARNES_HUT,FFT").split(",")) {
                TsneParameters p = TsneParameters.defaults().withRepulsion(TsneParameters.Repulsion.valueOf(rep)).withThreads(2);
                long t0 = System.nanoTime();
                Embedding e = new CpuTsne(2).embed(x, p, null, Progress.NONE);
                double sec = (System.nanoTime() - t0) / 1e9;
                float mn = Float.MAX_VALUE, mx = -Float.MAX_VALUE; for (float v : e.points().data()) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
                System.out.printf("XX n=%s %s %.2f s KL reported %.4f exact %.4f extent %.1f load %s%n", n, rep, sec, e.klDivergence(),
                        Metrics.klDivergence(x, e.points(), 30, 2), mx - mn,
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
            }
        }
    }
}
