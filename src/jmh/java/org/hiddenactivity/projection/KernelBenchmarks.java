package org.hiddenactivity.projection;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hiddenactivity.core.FloatMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmarks of the CPU t-SNE kernels, one per stage: kNN (exact and HNSW), P (perplexity search and
 * symmetrisation), the gradient (Barnes-Hut, FFT interpolation) and the optimiser's update. Inputs: seeded Gaussian
 * clusters, N points in D dimensions, and a 2-D map of 10 clusters as wide as t-SNE makes them at scikit-learn's
 * learning rate (measured: 155 units at N = 5000, 203 at 20000, so about 155 (N / 5000)^0.2
 * units). Run with {@code mvn -Pjmh -DskipTests verify} (benchmarks/README.md); results are for comparing changes on one
 * machine, the end-to-end numbers are {@code hav bench tsne}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class KernelBenchmarks {
    @Param({"10000"})
    int n;
    @Param({"100"})
    int d;
    @Param({"2"})
    int threads;

    private Workers workers;
    private FloatMatrix x;
    private Neighbours neighbours;
    private Affinities p;
    private double[] map;
    private double[] grad;
    private double[] update;
    private double[] gain;
    private BarnesHutGradient barnesHut;
    private FftGradient fft;

    @Setup(Level.Trial)
    public void setUp() {
        workers = new Workers(threads);
        Random r = new Random(1);
        float[] v = new float[n * d];
        float[][] centres = new float[10][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (4 * r.nextGaussian());
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                v[i * d + j] = centres[i % 10][j] + (float) r.nextGaussian();
            }
        }
        x = new FloatMatrix(n, d, v);
        neighbours = Neighbours.of(x, 90, workers);
        p = Affinities.of(neighbours, 30, workers);
        double width = 180 * Math.pow(n / 5000.0, 0.2);
        map = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            map[2 * i] = (c % 5 - 2) * width / 5 + r.nextGaussian() * width / 20;
            map[2 * i + 1] = (c / 5 - 0.5) * width / 3 + r.nextGaussian() * width / 20;
        }
        grad = new double[2 * n];
        update = new double[2 * n];
        gain = new double[2 * n];
        java.util.Arrays.fill(gain, 1);
        barnesHut = new BarnesHutGradient(p, 0.5, workers);
        fft = new FftGradient(p, workers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fft.close();
        workers.close();
    }

    @Benchmark
    public Neighbours knnExact() {
        return Neighbours.of(x, 90, workers);
    }

    @Benchmark
    public Neighbours knnApproximate() {
        return ApproximateNeighbours.of(x, 90, workers);
    }

    @Benchmark
    public Affinities affinities() {
        return Affinities.of(neighbours, 30, workers);
    }

    @Benchmark
    public double gradientBarnesHut() {
        return barnesHut.compute(map, 1, false, grad);
    }

    @Benchmark
    public double gradientFft() {
        return fft.compute(map, 1, false, grad);
    }

    @Benchmark
    public double[] update() {
        GradientDescent.step(map.clone(), grad, update, gain, 0.8, 200, 0.01);
        return update;
    }
}
