package org.hiddenactivity.projection;

import org.hiddenactivity.core.HavException;

/**
 * The parameters of a UMAP run, named and defaulted as umap-learn 0.5 names them (McInnes, Healy, Melville 2018).
 * Built with {@link #defaults()} and {@link #builder()}; every value is checked once, here.
 *
 * @param nNeighbors         size of the local neighbourhood, the point itself included (15)
 * @param minDist            smallest distance of points in the embedding (0.1)
 * @param spread             scale of the embedded points (1.0); with minDist it fixes a and b ({@link #curve()})
 * @param nEpochs            optimisation epochs; 0 = 500 up to 10000 points, 300 above (umap-learn: 200 above)
 * @param learningRate       initial SGD step, decayed linearly to 0 (1.0)
 * @param negativeSampleRate negative samples per positive sample (5)
 * @param repulsionStrength  weight of the negative samples (gamma, 1.0)
 * @param randomState        seed of the start's noise and the negative samples (0)
 * @param threads            CPU threads; {@code <= 0} = all cores (results do not depend on it)
 * @param neighbourSearch    how the kNN is found (as t-SNE's, {@link ScalableChoices#neighbourSearch})
 */
public record UmapParameters(int nNeighbors, double minDist, double spread, int nEpochs, double learningRate,
                             int negativeSampleRate, double repulsionStrength, long randomState, int threads,
                             TsneParameters.NeighbourSearch neighbourSearch) {
    public UmapParameters {
        if (nNeighbors < 2) {
            throw invalid("--n-neighbors", nNeighbors, "must be at least 2", "use 15, the default");
        }
        if (!(minDist >= 0) || Double.isInfinite(minDist)) {
            throw invalid("--min-dist", minDist, "must be a finite number >= 0", "use 0.1, the default");
        }
        if (!(spread > 0) || Double.isInfinite(spread)) {
            throw invalid("--spread", spread, "must be a finite number > 0", "use 1.0, the default");
        }
        if (minDist > spread) {
            throw invalid("--min-dist", minDist, "must not exceed --spread (" + spread + ")", "use 0.1 with spread 1");
        }
        if (nEpochs < 0) {
            throw invalid("--epochs", nEpochs, "must be >= 0 (0 = automatic)", "use 0, the default");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw invalid("UMAP learning rate", learningRate, "must be a finite number > 0", "use 1.0, the default");
        }
        if (negativeSampleRate < 0) {
            throw invalid("UMAP negative sample rate", negativeSampleRate, "must be >= 0", "use 5, the default");
        }
        if (!(repulsionStrength >= 0) || Double.isInfinite(repulsionStrength)) {
            throw invalid("UMAP repulsion strength", repulsionStrength, "must be a finite number >= 0",
                    "use 1.0, the default");
        }
        if (neighbourSearch == null) {
            throw new HavException("UMAP neighbour search", "not given", "use AUTO, the default");
        }
    }

    private static HavException invalid(String what, Object value, String rule, String fix) {
        return new HavException(what, rule + ", got " + value, fix);
    }

    public static UmapParameters defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().nNeighbors(nNeighbors).minDist(minDist).spread(spread).nEpochs(nEpochs)
                .learningRate(learningRate).negativeSampleRate(negativeSampleRate)
                .repulsionStrength(repulsionStrength).randomState(randomState).threads(threads)
                .neighbourSearch(neighbourSearch);
    }

    /**
     * Epochs used on n points: {@link #nEpochs()}, or 500 up to 10000 points and 300 above. umap-learn takes 200
     * above; hav's SGD moves every point against the previous epoch's positions (deterministic at any thread count)
     * where umap-learn moves both ends of an edge in place, and so needs more epochs for the same trustworthiness
     * (benchmarks/README.md, "UMAP beside umap-learn").
     */
    public int epochsFor(int n) {
        return nEpochs > 0 ? nEpochs : n <= 10_000 ? 500 : 300;
    }

    /** a and b of the embedding's similarity 1 / (1 + a d^(2b)), fitted to minDist and spread. */
    public UmapCurve curve() {
        return UmapCurve.fit(spread, minDist);
    }

    /** Each setter changes its own field only. */
    public static final class Builder {
        private int nNeighbors = 15;
        private double minDist = 0.1;
        private double spread = 1.0;
        private int nEpochs = 0;
        private double learningRate = 1.0;
        private int negativeSampleRate = 5;
        private double repulsionStrength = 1.0;
        private long randomState = 0;
        private int threads = 0;
        private TsneParameters.NeighbourSearch neighbourSearch = TsneParameters.NeighbourSearch.AUTO;

        public Builder nNeighbors(int v) { nNeighbors = v; return this; }

        public Builder minDist(double v) { minDist = v; return this; }

        public Builder spread(double v) { spread = v; return this; }

        public Builder nEpochs(int v) { nEpochs = v; return this; }

        public Builder learningRate(double v) { learningRate = v; return this; }

        public Builder negativeSampleRate(int v) { negativeSampleRate = v; return this; }

        public Builder repulsionStrength(double v) { repulsionStrength = v; return this; }

        public Builder randomState(long v) { randomState = v; return this; }

        public Builder threads(int v) { threads = v; return this; }

        public Builder neighbourSearch(TsneParameters.NeighbourSearch v) { neighbourSearch = v; return this; }

        public UmapParameters build() {
            return new UmapParameters(nNeighbors, minDist, spread, nEpochs, learningRate, negativeSampleRate,
                    repulsionStrength, randomState, threads, neighbourSearch);
        }
    }
}
