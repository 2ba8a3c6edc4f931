package org.hiddenactivity.projection;

/**
 * Every parameter of a t-SNE run, named as scikit-learn names them, with the defaults of
 * docs/design.md. Both backends receive the whole object; nothing is defaulted twice.
 *
 * @param nComponents            output dimensions (2)
 * @param perplexity             effective number of neighbours (30); kNN uses k = 3 x perplexity
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
            throw new IllegalArgumentException("nComponents must be 1..3, got " + nComponents);
        }
        if (!(perplexity > 0)) {
            throw new IllegalArgumentException("perplexity must be > 0, got " + perplexity);
        }
        if (!(earlyExaggeration >= 1)) {
            throw new IllegalArgumentException("earlyExaggeration must be >= 1, got " + earlyExaggeration);
        }
        if (earlyExaggerationIter < 0 || maxIter < 1 || earlyExaggerationIter > maxIter) {
            throw new IllegalArgumentException("need 0 <= earlyExaggerationIter <= maxIter, maxIter >= 1; got "
                    + earlyExaggerationIter + ", " + maxIter);
        }
        if (angle < 0 || angle >= 1) {
            throw new IllegalArgumentException("angle must be in [0, 1), got " + angle);
        }
        if (!(minGain > 0)) {
            throw new IllegalArgumentException("minGain must be > 0, got " + minGain);
        }
        if (!(learningRateDivisor > 0)) {
            throw new IllegalArgumentException("learningRateDivisor must be > 0, got " + learningRateDivisor);
        }
        java.util.Objects.requireNonNull(init, "init");
        java.util.Objects.requireNonNull(repulsion, "repulsion");
        java.util.Objects.requireNonNull(neighbourSearch, "neighbourSearch");
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
