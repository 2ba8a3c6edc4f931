package org.hiddenactivity.projection;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;

/**
 * t-SNE on the CPU in Java, on all cores: exact kNN ({@link Neighbours}, BLAS; or approximate, HNSW,
 * {@link ApproximateNeighbours}, per {@link TsneParameters#neighbourSearch()}), perplexity-calibrated sparse P
 * ({@link Affinities}), PCA start ({@link Initialisation}), Barnes-Hut gradient in 2-D ({@link BarnesHutGradient};
 * FFT interpolation {@link FftGradient} or the exact O(N^2) {@link ExactGradient} per
 * {@link TsneParameters#repulsion()}, exact when {@code angle == 0} or the output is not 2-D; see
 * {@link ScalableChoices}), and scikit-learn's optimiser ({@link GradientDescent}). Same seed and inputs give the
 * same embedding for any thread count: every parallel loop is split into fixed chunks reduced in chunk order. The
 * one exception is the approximate kNN, which is not reproducible from run to run (hnswlib's unseeded levels).
 * <p>
 * The KL history ({@link Embedding#klHistory()}) is measured every 50 iterations for the true P, also during early
 * exaggeration; {@link Embedding#klDivergence()} is that of the final points by {@link Metrics#finalKl} (exact up to
 * {@link Metrics#EXACT_KL_MAX_POINTS} points, never negative). k = min(N - 1, floor(3 x perplexity)) neighbours (scikit-learn takes one more).
 * <p>
 * The input goes through {@link TsneInput} as for every backend: checks (no points, no columns, a single point or
 * non-finite values are a {@link HavException}), the small-input rule of {@link TsneParameters#forPoints} (the value
 * used is in {@link Embedding#perplexity()}) and the rescaling that makes the result independent of the data's scale.
 * Duplicate points are fine (zero distances).
 */
public final class CpuTsne implements TsneBackend {
    private final int threads;

    /** Uses {@code params.threads()}, or all cores when that is 0. */
    public CpuTsne() {
        this(0);
    }

    /** @param threads worker threads; {@code <= 0} defers to {@code params.threads()}, then to all cores */
    public CpuTsne(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Availability availability() {
        return Availability.yes(Workers.resolve(threads) + " threads");
    }

    private int threadsFor(TsneParameters params) {
        return threads > 0 ? threads : Workers.resolve(params.threads());
    }

    @Override
    public Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress) {
        long start = System.nanoTime();
        TsneInput in = TsneInput.of(data, params, initial);
        int n = in.n();
        TsneParameters used = in.params();
        int dims = used.nComponents();
        try (Workers workers = new Workers(threadsFor(used))) {
            Affinities p = affinities(in.data(), used.perplexity(), used.neighbours(n), used.neighbourSearch(), workers);
            double[] y = in.initial() != null ? toDouble(in.initial())
                    : used.init() == TsneParameters.Init.PCA ? Initialisation.pca(in.data(), dims, used.randomState(), workers)
                    : Initialisation.random(n, dims, used.randomState());
            return optimise(List.of(p), List.of(y), used, 0, workers, progress, start).get(0);
        }
    }

    /**
     * t-SNE of a dissimilarity matrix (e.g. 1 - |Pearson r| between neurons). The values are used as they are in
     * the Gaussian kernel, like scikit-learn's {@code metric="precomputed"}; a PCA start becomes classical MDS of the
     * matrix. Meant for N up to a few thousand (the matrix is dense).
     *
     * @param distances n x n row-major, symmetric, zero diagonal, finite and non-negative
     */
    public Embedding embedPrecomputed(double[] distances, int n, TsneParameters params, Progress progress) {
        long start = System.nanoTime();
        checkDistances(distances, n);
        if (params == null) {
            throw new HavException("t-SNE dissimilarities", "no parameters given", "pass TsneParameters.defaults()");
        }
        TsneParameters used = params.forPoints(n);
        int dims = used.nComponents();
        double[] scaled = TsneInput.scaledDistances(distances);
        try (Workers workers = new Workers(threadsFor(used))) {
            Neighbours nb = Neighbours.ofPrecomputed(scaled, n, Math.max(1, used.neighbours(n)));
            Affinities p = Affinities.of(nb, used.perplexity(), workers);
            double[] y = used.init() == TsneParameters.Init.PCA
                    ? Initialisation.classicalMds(scaled, n, dims, used.randomState())
                    : Initialisation.random(n, dims, used.randomState());
            return optimise(List.of(p), List.of(y), used, 0, workers, progress, start).get(0);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Every snapshot gets its own P (its own kNN); all start from the same points (PCA of snapshot 0, or random), so
     * that lambda &gt; 0 does not have to pull apart differently oriented starts. The coupling is applied as a
     * proximal step (see {@code GradientDescent}). Each returned Embedding carries its own KL and KL history; seconds
     * is the time of the whole joint run.
     */
    @Override
    public List<Embedding> embedDynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda,
                                        Progress progress) {
        long start = System.nanoTime();
        TsneInput in = TsneInput.dynamic(snapshots, params, lambda);
        int n = in.n();
        TsneParameters used = in.params();
        int dims = used.nComponents();
        try (Workers workers = new Workers(threadsFor(used))) {
            List<Affinities> ps = new ArrayList<>();
            for (FloatMatrix s : in.snapshots()) {
                ps.add(affinities(s, used.perplexity(), used.neighbours(n), used.neighbourSearch(), workers));
            }
            // one common start (from the first snapshot) so that lambda > 0 does not fight different starting maps
            double[] y0 = used.init() == TsneParameters.Init.PCA
                    ? Initialisation.pca(in.snapshots().get(0), dims, used.randomState(), workers)
                    : Initialisation.random(n, dims, used.randomState());
            List<double[]> ys = new ArrayList<>();
            for (int s = 0; s < in.snapshots().size(); s++) {
                ys.add(y0.clone());
            }
            return optimise(ps, ys, used, lambda, workers, progress, start);
        }
    }

    /**
     * P of prepared data ({@link TsneInput}) as every backend computes it: exact kNN with k neighbours, then the
     * perplexity search of {@link Affinities#conditionalRow} (which the CUDA kernel implements line for line).
     */
    static Affinities affinities(FloatMatrix data, double perplexity, int k, Workers workers) {
        return affinities(data, perplexity, k, TsneParameters.NeighbourSearch.EXACT, workers);
    }

    /** {@link #affinities} with the kNN found by {@code search} (AUTO: {@link ScalableChoices#neighbourSearch}). */
    static Affinities affinities(FloatMatrix data, double perplexity, int k, TsneParameters.NeighbourSearch search,
                                 Workers workers) {
        Neighbours nb = Neighbours.search(data, Math.max(1, k), search, workers);
        return Affinities.of(nb, perplexity, workers);
    }

    /** The gradient CpuTsne uses for these parameters ({@link ScalableChoices#repulsion}). */
    static Gradient gradient(Affinities p, TsneParameters params, Workers workers) {
        return switch (ScalableChoices.repulsion(params, p.n())) {
            case FFT -> new FftGradient(p, workers);
            case BARNES_HUT, AUTO -> new BarnesHutGradient(p, params.angle(), workers);
            case EXACT -> new ExactGradient(p, params.nComponents(), workers);
        };
    }

    private List<Embedding> optimise(List<Affinities> ps, List<double[]> ys, TsneParameters used, double lambda,
                                     Workers workers, Progress progress, long start) {
        List<Gradient> objectives = new ArrayList<>();
        for (Affinities p : ps) {
            objectives.add(gradient(p, used, workers));
        }
        GradientDescent.Trace trace;
        try {
            trace = GradientDescent.run(objectives, ys, used.nComponents(), used, lambda, progress);
        } finally {
            for (Gradient g : objectives) {
                if (g instanceof AutoCloseable c) {
                    closeQuietly(c);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Embedding> out = new ArrayList<>();
        int n = ps.get(0).n();
        for (int s = 0; s < ys.size(); s++) {
            double[] y = ys.get(s);
            float[] f = new float[y.length];
            for (int e = 0; e < y.length; e++) {
                f[e] = (float) y[e];
                if (!Float.isFinite(f[e])) {
                    throw new HavException("t-SNE", "the optimisation diverged (non-finite coordinate at point "
                            + (e / used.nComponents()) + ")", "lower the learning rate", HavException.EXIT_RUNTIME, null);
                }
            }
            Metrics.Kl kl = Metrics.finalKl(ps.get(s), y, used.nComponents(), trace.finalKl()[s],
                    objectives.get(s) instanceof ExactGradient, workers);
            out.add(new Embedding(new FloatMatrix(n, used.nComponents(), f), kl.value(), trace.klHistory()[s],
                    seconds, name(), workers.threads() + " threads", used.perplexity(), kl.exact()));
        }
        return out;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not free a gradient's buffers", e);
        }
    }

    private static void checkDistances(double[] distances, int n) {
        String subject = "t-SNE dissimilarities";
        if (n < 2) {
            throw new HavException(subject, n + " point(s); t-SNE needs at least 2", "give more observations");
        }
        if (distances.length != (long) n * n) {
            throw new HavException(subject, "expected " + n + " x " + n + " values, got " + distances.length,
                    "pass the full square matrix, row-major");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = distances[i * n + j];
                if (!Double.isFinite(v) || v < 0) {
                    throw new HavException(subject, "entry (" + i + ", " + j + ") is " + v,
                            "dissimilarities must be finite and >= 0");
                }
                if (v != distances[j * n + i]) {
                    throw new HavException(subject, "not symmetric at (" + i + ", " + j + ")", "symmetrise it");
                }
            }
        }
    }

    private static double[] toDouble(FloatMatrix m) {
        double[] y = new double[m.data().length];
        for (int e = 0; e < y.length; e++) {
            y[e] = m.data()[e];
        }
        return y;
    }
}
