package org.hiddenactivity.projection;

import org.hiddenactivity.core.Warnings;
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
 * exaggeration; {@link Embedding#klDivergence()} is the Barnes-Hut estimate at the final points (exact when the
 * exact gradient is used). k = min(N - 1, floor(3 x perplexity)) neighbours (scikit-learn takes one more).
 * <p>
 * Input adjustments (never NaN coordinates): fewer points than 3 x perplexity + 1 lower the perplexity to
 * (N - 1) / 3 with a warning on stderr (the value used is in {@link Embedding#perplexity()}); duplicate points are
 * fine (zero distances); no points, no columns, a single point or non-finite values are a {@link HavException}.
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
        checkData(data, "t-SNE input");
        int n = data.rows();
        TsneParameters used = adjustPerplexity(params, n);
        int dims = used.nComponents();
        int t = threadsFor(used);
        try (Workers workers = new Workers(t)) {
            Affinities p = affinities(data, used.perplexity(), used.neighbours(n), used.neighbourSearch(), workers);
            double[] y = initial != null ? checkedInitial(initial, n, dims)
                    : used.init() == TsneParameters.Init.PCA ? Initialisation.pca(data, dims, used.randomState(), workers)
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
        TsneParameters used = adjustPerplexity(params, n);
        int dims = used.nComponents();
        try (Workers workers = new Workers(threadsFor(used))) {
            Neighbours nb = Neighbours.ofPrecomputed(distances, n, Math.max(1, used.neighbours(n)));
            Affinities p = Affinities.of(nb, used.perplexity(), workers);
            double[] y = used.init() == TsneParameters.Init.PCA
                    ? Initialisation.classicalMds(distances, n, dims, used.randomState())
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
        if (snapshots.isEmpty()) {
            throw new HavException("dynamic t-SNE", "no snapshots given", "pass at least one matrix");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new HavException("dynamic t-SNE", "lambda must be finite and >= 0, got " + lambda, "use e.g. 0.1");
        }
        int n = snapshots.get(0).rows();
        for (int s = 0; s < snapshots.size(); s++) {
            checkData(snapshots.get(s), "dynamic t-SNE snapshot " + s);
            if (snapshots.get(s).rows() != n) {
                throw new HavException("dynamic t-SNE snapshot " + s, "has " + snapshots.get(s).rows()
                        + " rows, snapshot 0 has " + n, "give every snapshot the same observations in the same order");
            }
        }
        TsneParameters used = adjustPerplexity(params, n);
        int dims = used.nComponents();
        try (Workers workers = new Workers(threadsFor(used))) {
            List<Affinities> ps = new ArrayList<>();
            for (FloatMatrix s : snapshots) {
                ps.add(affinities(s, used.perplexity(), used.neighbours(n), used.neighbourSearch(), workers));
            }
            // one common start (from the first snapshot) so that lambda > 0 does not fight different starting maps
            double[] y0 = used.init() == TsneParameters.Init.PCA
                    ? Initialisation.pca(snapshots.get(0), dims, used.randomState(), workers)
                    : Initialisation.random(n, dims, used.randomState());
            List<double[]> ys = new ArrayList<>();
            for (int s = 0; s < snapshots.size(); s++) {
                ys.add(y0.clone());
            }
            return optimise(ps, ys, used, lambda, workers, progress, start);
        }
    }

    /** P of the data as every backend computes it (exact kNN with k neighbours, then the perplexity search). */
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
            out.add(new Embedding(new FloatMatrix(n, used.nComponents(), f), trace.finalKl()[s],
                    trace.klHistory()[s], seconds, name(), workers.threads() + " threads", used.perplexity()));
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

    /** Lowers the perplexity to (n - 1) / 3 when n < 3 x perplexity + 1, with a warning on stderr. */
    static TsneParameters adjustPerplexity(TsneParameters params, int n) {
        if (n < 3 * params.perplexity() + 1) {
            double lowered = (n - 1) / 3.0;
            Warnings.warn(String.format(java.util.Locale.ROOT, "%d points are too few for perplexity %s (needs 3 x perplexity + 1); "
                    + "using perplexity %.4g", n, params.perplexity(), lowered));
            return params.withPerplexity(lowered);
        }
        return params;
    }

    static void checkData(FloatMatrix data, String subject) {
        if (data.rows() < 2) {
            throw new HavException(subject, data.rows() + " point(s); t-SNE needs at least 2", "give more observations");
        }
        if (data.cols() < 1) {
            throw new HavException(subject, "no features (0 columns)", "give an N x D matrix with D >= 1");
        }
        long bad = data.firstNonFinite();
        if (bad >= 0) {
            throw new HavException(subject, "value at row " + (bad / data.cols()) + ", column " + (bad % data.cols())
                    + " is " + data.data()[(int) bad], "remove or impute NaN and infinite values");
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

    private static double[] checkedInitial(FloatMatrix initial, int n, int dims) {
        if (initial.rows() != n || initial.cols() != dims) {
            throw new HavException("t-SNE initial points", "shape " + initial.rows() + " x " + initial.cols()
                    + ", expected " + n + " x " + dims, "give one starting point per observation");
        }
        if (initial.firstNonFinite() >= 0) {
            throw new HavException("t-SNE initial points", "contain NaN or infinite values", "give finite points");
        }
        double[] y = new double[n * dims];
        for (int e = 0; e < y.length; e++) {
            y[e] = initial.data()[e];
        }
        return y;
    }
}
