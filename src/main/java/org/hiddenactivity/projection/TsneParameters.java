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
        NeighbourSearch neighbourSearch) {

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

    public static final double AUTO = -1;

    /** Without the scalability choices: both {@code AUTO}. */
    public TsneParameters(int nComponents, double perplexity, double earlyExaggeration, int earlyExaggerationIter,
                          int maxIter, double learningRate, double angle, double initialMomentum, double finalMomentum,
                          double minGain, Init init, long randomState, int threads, double learningRateDivisor) {
        this(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle,
                initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor,
                Repulsion.AUTO, NeighbourSearch.AUTO);
    }

    public static TsneParameters defaults() {
        return new TsneParameters(2, 30, 12, 250, 1000, AUTO, 0.5, 0.5, 0.8, 0.01, Init.PCA, 0, 0, 4);
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
            throw invalid("early exaggeration iterations", earlyExaggerationIter, "must be in 0.." + maxIter
                    + " (the total iterations)", "use 250, the default, with at least 250 iterations");
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

    public TsneParameters withPerplexity(double v) { return new TsneParameters(nComponents, v, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withMaxIter(int v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, Math.min(earlyExaggerationIter, v), v, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withEarlyExaggerationIter(int v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, v, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withLearningRate(double v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, v, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withAngle(double v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, v, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withInit(Init v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, v, randomState, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withRandomState(long v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, v, threads, learningRateDivisor, repulsion, neighbourSearch); }

    public TsneParameters withThreads(int v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, v, learningRateDivisor, repulsion, neighbourSearch); }

    /** openTSNE's "auto": N / exaggeration instead of scikit-learn's N / (4 x exaggeration). */
    public TsneParameters openTsneLearningRate() { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, AUTO, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, 1, repulsion, neighbourSearch); }

    public TsneParameters withRepulsion(Repulsion v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, v, neighbourSearch); }

    public TsneParameters withNeighbourSearch(NeighbourSearch v) { return new TsneParameters(nComponents, perplexity, earlyExaggeration, earlyExaggerationIter, maxIter, learningRate, angle, initialMomentum, finalMomentum, minGain, init, randomState, threads, learningRateDivisor, repulsion, v); }
}
