package org.hiddenactivity.projection;

import java.util.Locale;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Warnings;

/**
 * Every parameter of a t-SNE run, named as scikit-learn names them, with the defaults of
 * docs/design.md. Both backends receive the whole object; nothing is defaulted twice (the CLI reads
 * {@link #defaults()}). Every value is checked here, once, for every command and backend: an invalid one is a
 * {@link HavException} (exit code 2) naming the parameter. {@link #forPoints} is the one small-input rule.
 *
 * @param nComponents            output dimensions (2)
 * @param perplexity             effective number of neighbours (30); kNN uses k = 3 x perplexity; lowered for
 *                               small inputs by {@link #forPoints}
 * @param earlyExaggeration      factor on P during the first {@code earlyExaggerationIter} iterations (12)
 * @param earlyExaggerationIter  iterations of early exaggeration (250)
 * @param maxIter                total iterations including early exaggeration (1000)
 * @param learningRate           step size; {@code <= 0} means "auto" = max(N / (4 x earlyExaggeration), 50)
 *                               as scikit-learn >= 1.2; see {@link #openTsneLearningRate()}
 * @param angle                  Barnes-Hut opening angle theta (0.5); 0 means the exact gradient
 * @param initialMomentum        momentum during early exaggeration (0.5)
 * @param finalMomentum          momentum after it (0.8)
 * @param minGain                lower bound of the per-coordinate gains (0.01)
 * @param init                   initialisation when no initial points are given (PCA)
 * @param randomState            seed of every random choice (0)
 * @param threads                CPU threads; {@code <= 0} means all cores
 * @param learningRateDivisor    divisor of N in "auto": 4 x exaggeration (scikit-learn) or 1 x exaggeration (openTSNE)
 * @param repulsion              how the CPU backend computes the repulsive term ({@link Repulsion#AUTO}); angle 0
 *                               still means the exact gradient. The CUDA backend has its own rule and ignores it.
 * @param neighbourSearch        how the CPU backend finds the kNN of P ({@link NeighbourSearch#AUTO})
 * @param metric                 distance between points ({@link Metric#EUCLIDEAN}); applied by {@link TsneInput}, so
 *                               every backend sees the same input
 */
public record TsneParameters(
        int nComponents,
        double perplexity,
        double earlyExaggeration,
        int earlyExaggerationIter,
        int maxIter,
        double learningRate,
        double angle,
        double initialMomentum,
        double finalMomentum,
        double minGain,
        Init init,
        long randomState,
        int threads,
        double learningRateDivisor,
        Repulsion repulsion,
        NeighbourSearch neighbourSearch,
        Metric metric) {

    /** How the embedding starts when no initial points are given. */
    public enum Init { PCA, RANDOM }

    /**
     * The repulsive term: {@code AUTO} (Barnes-Hut below {@link ScalableChoices#FFT_MIN_POINTS} points, FFT
     * interpolation from there; no such size was measured on the development machine, so Barnes-Hut), {@code BARNES_HUT} (theta = angle), {@code FFT} (FIt-SNE's interpolation), {@code EXACT}
     * (O(N^2)). Outputs other than 2-D always use the exact one.
     */
    public enum Repulsion { AUTO, BARNES_HUT, FFT, EXACT }

    /**
     * The kNN of P: {@code AUTO} (see {@link ScalableChoices#neighbourSearch}), {@code EXACT} (brute force, BLAS),
     * {@code APPROXIMATE} (HNSW graph, hnswlib; not bitwise reproducible).
     */
    public enum NeighbourSearch { AUTO, EXACT, APPROXIMATE }

    /**
     * The input distance: {@code EUCLIDEAN} (squared Euclidean in P, as scikit-learn) or {@code COSINE} (1 - cosine
     * similarity, scikit-learn's {@code metric="cosine"}): rows are scaled to unit length, whose squared Euclidean
     * distances are exactly 2 x the cosine distances, and the perplexity search absorbs the factor 2.
     */
    public enum Metric { EUCLIDEAN, COSINE }

    public static final double AUTO = -1;
    /** Early exaggeration iterations when none are given and the run is long enough (scikit-learn's 250). */
    public static final int DEFAULT_EXAGGERATION_ITER = 250;

    /** Without the scalability choices (both {@code AUTO}) and with the Euclidean metric. */
    public TsneParameters(int nComponents, double perplexity, double earlyExaggeration, int earlyExaggerationIter,
                          int maxIter, double learningRate, double angle, double initialMomentum, double finalMomentum,
                          double minGain, Init init, long randomState, int threads, double learningRateDivisor) {
        this(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle,
                initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor,
                Repulsion.AUTO, NeighbourSearch.AUTO, Metric.EUCLIDEAN);
    }

    /** With the Euclidean metric. */
    public TsneParameters(int nComponents, double perplexity, double earlyExaggeration, int earlyExaggerationIter,
                          int maxIter, double learningRate, double angle, double initialMomentum, double finalMomentum,
                          double minGain, Init init, long randomState, int threads, double learningRateDivisor,
                          Repulsion repulsion, NeighbourSearch neighbourSearch) {
        this(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle,
                initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor,
                repulsion, neighbourSearch, Metric.EUCLIDEAN);
    }

    public static TsneParameters defaults() {
        return builder().build();
    }

    public TsneParameters {
        if (nComponents < 1 || nComponents > 3) {
            throw invalid("number of components", nComponents, "must be 1, 2 or 3", "use 2, the default");
        }
        if (!(perplexity > 0) || Double.isInfinite(perplexity)) {
            throw invalid("perplexity (--perplexity)", perplexity, "must be a finite number > 0",
                    "use e.g. 30, the default");
        }
        if (!(earlyExaggeration >= 1) || Double.isInfinite(earlyExaggeration)) {
            throw invalid("early exaggeration", earlyExaggeration, "must be a finite number >= 1",
                    "use 12, the default");
        }
        if (maxIter < 1) {
            throw invalid("iterations (--iterations)", maxIter, "must be at least 1", "use e.g. 1000, the default");
        }
        if (earlyExaggerationIter < 0 || earlyExaggerationIter > maxIter) {
            throw invalid("early exaggeration iterations (--exaggeration-iterations)", earlyExaggerationIter,
                    "must be in 0.." + maxIter + " (the total iterations, --iterations)",
                    "give at most as many exaggeration iterations as iterations in all");
        }
        if (Double.isNaN(learningRate) || Double.isInfinite(learningRate)) {
            throw invalid("learning rate", learningRate, "must be finite (<= 0 means auto)", "use AUTO (-1)");
        }
        if (!(angle >= 0 && angle < 1)) {
            throw invalid("Barnes-Hut angle", angle, "must be in [0, 1)", "use 0.5, the default, or 0 for exact");
        }
        if (!Double.isFinite(initialMomentum) || !Double.isFinite(finalMomentum)) {
            throw invalid("momentum", Double.isFinite(initialMomentum) ? finalMomentum : initialMomentum,
                    "must be finite", "use 0.5 and 0.8, the defaults");
        }
        if (!(minGain > 0) || Double.isInfinite(minGain)) {
            throw invalid("minimum gain", minGain, "must be a finite number > 0", "use 0.01, the default");
        }
        if (!(learningRateDivisor > 0) || Double.isInfinite(learningRateDivisor)) {
            throw invalid("learning rate divisor", learningRateDivisor, "must be a finite number > 0",
                    "use 4 (scikit-learn) or 1 (openTSNE)");
        }
        if (init == null) {
            throw new HavException("t-SNE initialisation", "not given", "use PCA (the default) or RANDOM");
        }
        if (repulsion == null || neighbourSearch == null) {
            throw new HavException("t-SNE " + (repulsion == null ? "repulsion" : "neighbour search"), "not given",
                    "use AUTO, the default");
        }
        // provenance written before the metric existed has none: those runs were Euclidean, the only metric then
        metric = metric == null ? Metric.EUCLIDEAN : metric;
    }

    private static HavException invalid(String what, Object value, String rule, String fix) {
        return new HavException("t-SNE " + what, rule + ", got " + value, fix);
    }

    /**
     * The one small-input rule of every backend and of the metrics: k = floor(3 x perplexity) neighbours must fit in
     * n - 1 points, so a perplexity above (n - 1) / 3 is lowered to (n - 1) / 3, but never below 1 (no distribution
     * over neighbours has a perplexity under 1; k = n - 1 then caps the neighbours). Pure: no warning.
     */
    public static double perplexityFor(double requested, int n) {
        double cap = (n - 1) / 3.0;
        return requested <= cap ? requested : Math.min(requested, Math.max(1.0, cap));
    }

    /**
     * These parameters as they are used on {@code n} points: the perplexity of {@link #perplexityFor}, with a
     * warning when it was lowered (the value used is in {@link Embedding#perplexity()}).
     */
    public TsneParameters forPoints(int n) {
        double used = perplexityFor(perplexity, n);
        if (used == perplexity) {
            return this;
        }
        String text = String.format(Locale.ROOT, "%d points are too few for perplexity %s (it needs 3 x perplexity"
                + " + 1 points); using perplexity %.4g", n, perplexity, used);
        Warnings.warnOnce(text, text);
        return withPerplexity(used);
    }

    /** The learning rate actually used for {@code n} points. */
    public double effectiveLearningRate(int n) {
        if (learningRate > 0) {
            return learningRate;
        }
        return Math.max(n / (learningRateDivisor * earlyExaggeration), 50.0);
    }

    /** Number of neighbours of the sparse P: min(n - 1, floor(3 x perplexity)). */
    public int neighbours(int n) {
        return (int) Math.min(n - 1L, (long) Math.floor(3 * perplexity));
    }

    /** A builder starting from these values (every field explicit, so no default rule applies). */
    public Builder toBuilder() {
        return new Builder().nComponents(nComponents).perplexity(perplexity).earlyExaggeration(earlyExaggeration)
                .earlyExaggerationIter(earlyExaggerationIter).maxIter(maxIter).learningRate(learningRate).angle(angle)
                .initialMomentum(initialMomentum).finalMomentum(finalMomentum).minGain(minGain).init(init)
                .randomState(randomState).threads(threads).learningRateDivisor(learningRateDivisor)
                .repulsion(repulsion).neighbourSearch(neighbourSearch).metric(metric);
    }

    /** The engine's defaults, to be changed field by field; see {@link Builder#build()} for the one derived default. */
    public static Builder builder() {
        return new Builder();
    }

    // each with... changes its own field only; a combination that is invalid (e.g. fewer total iterations than
    // exaggeration iterations) is refused by the constructor with a message naming both
    public TsneParameters withPerplexity(double v) { return toBuilder().perplexity(v).build(); }

    public TsneParameters withMaxIter(int v) { return toBuilder().maxIter(v).build(); }

    public TsneParameters withEarlyExaggerationIter(int v) { return toBuilder().earlyExaggerationIter(v).build(); }

    public TsneParameters withEarlyExaggeration(double v) { return toBuilder().earlyExaggeration(v).build(); }

    public TsneParameters withLearningRate(double v) { return toBuilder().learningRate(v).build(); }

    public TsneParameters withAngle(double v) { return toBuilder().angle(v).build(); }

    public TsneParameters withInit(Init v) { return toBuilder().init(v).build(); }

    public TsneParameters withRandomState(long v) { return toBuilder().randomState(v).build(); }

    public TsneParameters withThreads(int v) { return toBuilder().threads(v).build(); }

    /** openTSNE's "auto": N / exaggeration instead of scikit-learn's N / (4 x exaggeration). */
    public TsneParameters openTsneLearningRate() { return toBuilder().learningRate(AUTO).learningRateDivisor(1).build(); }

    public TsneParameters withRepulsion(Repulsion v) { return toBuilder().repulsion(v).build(); }

    public TsneParameters withNeighbourSearch(NeighbourSearch v) { return toBuilder().neighbourSearch(v).build(); }

    public TsneParameters withMetric(Metric v) { return toBuilder().metric(v).build(); }

    /**
     * Named setters for every field, starting from the engine's defaults; each changes its own field only. The one
     * derived default: when {@link #earlyExaggerationIter} is not given it is min(250, maxIter) (scikit-learn's 250
     * exploration iterations, fewer when the whole run is shorter); a value given is never changed.
     */
    public static final class Builder {
        private int nComponents = 2;
        private double perplexity = 30;
        private double earlyExaggeration = 12;
        private Integer earlyExaggerationIter;
        private int maxIter = 1000;
        private double learningRate = AUTO;
        private double angle = 0.5;
        private double initialMomentum = 0.5;
        private double finalMomentum = 0.8;
        private double minGain = 0.01;
        private Init init = Init.PCA;
        private long randomState = 0;
        private int threads = 0;
        private double learningRateDivisor = 4;
        private Repulsion repulsion = Repulsion.AUTO;
        private NeighbourSearch neighbourSearch = NeighbourSearch.AUTO;
        private Metric metric = Metric.EUCLIDEAN;

        public Builder nComponents(int v) { nComponents = v; return this; }

        public Builder perplexity(double v) { perplexity = v; return this; }

        public Builder earlyExaggeration(double v) { earlyExaggeration = v; return this; }

        /** Iterations with early exaggeration; not given: min(250, maxIter). */
        public Builder earlyExaggerationIter(int v) { earlyExaggerationIter = v; return this; }

        public Builder maxIter(int v) { maxIter = v; return this; }

        /** {@link #AUTO} (or any value {@code <= 0}) for the automatic rate. */
        public Builder learningRate(double v) { learningRate = v; return this; }

        public Builder angle(double v) { angle = v; return this; }

        public Builder initialMomentum(double v) { initialMomentum = v; return this; }

        public Builder finalMomentum(double v) { finalMomentum = v; return this; }

        public Builder minGain(double v) { minGain = v; return this; }

        public Builder init(Init v) { init = v; return this; }

        public Builder randomState(long v) { randomState = v; return this; }

        public Builder threads(int v) { threads = v; return this; }

        public Builder learningRateDivisor(double v) { learningRateDivisor = v; return this; }

        public Builder repulsion(Repulsion v) { repulsion = v; return this; }

        public Builder neighbourSearch(NeighbourSearch v) { neighbourSearch = v; return this; }

        public Builder metric(Metric v) { metric = v; return this; }

        public TsneParameters build() {
            int exaggerationIter = earlyExaggerationIter != null ? earlyExaggerationIter
                    : Math.min(DEFAULT_EXAGGERATION_ITER, Math.max(0, maxIter));
            return new TsneParameters(nComponents, perplexity, earlyExaggeration, exaggerationIter, maxIter,
                    learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads,
                    learningRateDivisor, repulsion, neighbourSearch, metric);
        }
    }
}
