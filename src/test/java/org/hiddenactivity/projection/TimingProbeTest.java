package org.hiddenactivity.projection;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;
class TimingProbeTest {
    @Test
    void probe() throws Exception {
        FloatMatrix x = Npy.readMatrix(java.nio.file.Path.of("generated/bench/mnist_train_z_2000.npy"));
        TsneParameters p = TsneParameters.defaults().withThreads(2).withMaxIter(Integer.getInteger("probe.iter", 1000));
        Embedding bh = new CpuTsne(2).embed(x, p.withRepulsion(TsneParameters.Repulsion.BARNES_HUT), null, Progress.NONE);
        Embedding ff = new CpuTsne(2).embed(x, p.withRepulsion(TsneParameters.Repulsion.FFT), null, Progress.NONE);
        System.out.printf("XX exact KL bh %.4f fft %.4f (reported %.4f %.4f)%n", Metrics.klDivergence(x, bh.points(), 30, 2), Metrics.klDivergence(x, ff.points(), 30, 2), bh.klDivergence(), ff.klDivergence());
        double[] y = Metrics.toDouble(ff.points());
        float mn = Float.MAX_VALUE, mx = -Float.MAX_VALUE; for (float v : ff.points().data()) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
        System.out.printf("XX extent %.2f .. %.2f%n", mn, mx);
        try (Workers w = new Workers(2)) {
            FftRepulsion r = new FftRepulsion(2000, w);
            double[] rep = new double[4000];
            for (int i = 0; i < 20; i++) r.repulsion(y, rep);
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) r.repulsion(y, rep);
            System.out.printf("XX per call %.2f ms%n", (System.nanoTime() - t0) / 50e6);
        }
    }
}
