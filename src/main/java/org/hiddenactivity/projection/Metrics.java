package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Warnings;

/**
 * Quality of a projection, measured the same way whichever tool made it (the benchmark computes these on every
 * output). Neighbours by Euclidean distance, ties broken by the smaller index, a point never its own neighbour. The
 * single-metric methods ({@link #trustworthiness}, {@link #knnPreservation}, {@link #klDivergence}) are the exact
 * references over all pairs; {@link #evaluate} computes them all from kNN graphs so that it scales to large N (see
 * there and {@link NeighbourMetrics}); tests hold the two together. Every metric is independent of the scale of
 * the data and of the embedding (they are rescaled as {@link TsneInput} does; KL keeps the embedding's scale, on
 * which Q depends).
 * <ul>
 * <li>KL divergence KL(P || Q) of the embedding for the P t-SNE would build from the data at this perplexity
 * (kNN with k = 3 x perplexity): Q exact up to {@link #EXACT_KL_MAX_POINTS} points, its normalisation Z by FFT
 * interpolation ({@link FftRepulsion}) above.</li>
 * <li>Trustworthiness (Venna and Kaski 2001) as scikit-learn's {@code sklearn.manifold.trustworthiness} defines it:
 * 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_(j in low-dim kNN(i)) max(0, r(i, j) - k), r(i, j) the rank of j among
 * i's neighbours in the data (1 = nearest).</li>
 * <li>kNN preservation: mean over points of |high-dim kNN(i) and low-dim kNN(i)| / k.</li>
 * <li>Neighbourhood hit: mean over points of the fraction of their k low-dim neighbours that share their label.</li>
 * </ul>
 */
public final class Metrics {
    public static final int TRUSTWORTHINESS_K = 12;
    public static final int KNN_PRESERVATION_K = 12;
    public static final int NEIGHBOURHOOD_HIT_K = 6;
    public static final int EXACT_KL_MAX_POINTS = 20_000;

    private Metrics() {}

    /**
     * Every metric of one embedding.
     *
     * @param klDivergence     KL(P || Q) at {@code perplexity}
     * @param klExact          whether Q was exact (else Z by FFT interpolation)
     * @param trustworthiness  k = {@link #TRUSTWORTHINESS_K}
     * @param knnPreservation  k = {@link #KNN_PRESERVATION_K}
     * @param neighbourhoodHit k = {@link #NEIGHBOURHOOD_HIT_K}; NaN without labels
     * @param perplexity       the perplexity P was built with (lowered for tiny inputs as the engine does)
     * @param neighboursApproximate whether the data-space kNN graph (P, trustworthiness, kNN preservation) came from
     *                         the approximate search ({@link ScalableChoices#neighbourSearch}, large inputs)
     */
    public record Report(double klDivergence, boolean klExact, double trustworthiness, double knnPreservation,
                         double neighbourhoodHit, double perplexity, boolean neighboursApproximate) {}

    /**
     * All metrics with the default k's, lowered for small inputs by {@link #usableK} (a metric without any usable k
     * is NaN); the perplexity goes through the backends' rule {@link TsneParameters#forPoints}, so the KL is that of
     * the P a backend optimised. {@code labels} may be null. Scales to large N: one data-space kNN graph
     * (k = 3 x perplexity, approximate from {@link ScalableChoices#APPROXIMATE_MIN_POINTS} points) gives P and the
     * neighbourhood metrics ({@link NeighbourMetrics}), the embedding's kNN are exact ({@link LowNeighbours}), Q's
     * normalisation is exact up to {@link #EXACT_KL_MAX_POINTS} points and FFT-interpolated above.
     */
    public static Report evaluate(FloatMatrix high, FloatMatrix low, int[] labels, double perplexity, int threads) {
        checkPair(high, low);
        double used = TsneParameters.defaults().withPerplexity(perplexity).forPoints(high.rows()).perplexity();
        return evaluateFromGraphs(TsneInput.scaled(high), low, labels, used, threads);
    }

    /** {@link #evaluate} on data already rescaled ({@link TsneInput#scaled}); the embedding as it is. */
    private static Report evaluateFromGraphs(FloatMatrix high, FloatMatrix low, int[] labels, double perplexity,
                                             int threads) {
        int n = high.rows();
        if (labels != null && labels.length != n) {
            throw new HavException("labels", labels.length + " labels for " + n + " points", "give one label per point");
        }
        int kt = usableK("trustworthiness", TRUSTWORTHINESS_K, n);
        int kpres = usableK("kNN preservation", KNN_PRESERVATION_K, n);
        int khit = usableK("neighbourhood hit", NEIGHBOURHOOD_HIT_K, n);
        int kp = TsneParameters.defaults().withPerplexity(perplexity).neighbours(n);
        int kh = Math.max(Math.max(kp, 1), Math.max(kt, kpres));
        boolean approximate = ScalableChoices.neighbourSearch(TsneParameters.NeighbourSearch.AUTO, n, high.cols())
                == TsneParameters.NeighbourSearch.APPROXIMATE;
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            Neighbours graph = Neighbours.search(high, kh, TsneParameters.NeighbourSearch.AUTO, workers);
            Affinities p = Affinities.of(firstColumns(graph, Math.max(1, kp)), perplexity, workers);
            double[] y = toDouble(low);
            boolean exactKl = n <= EXACT_KL_MAX_POINTS || low.cols() != 2;
            double kl;
            if (exactKl) {
                kl = ExactGradient.klDivergence(p, y, low.cols(), workers);
            } else {
                try (FftGradient g = new FftGradient(p, workers)) {
                    kl = g.compute(y, 1, true, new double[y.length]);
                }
            }
            int kl2 = Math.max(Math.max(kt, kpres), Math.max(khit, 1));
            // ranks only: the embedding rescaled so that no scale overflows or underflows float distances
            int[] lowNb = LowNeighbours.of(TsneInput.scaled(low), kl2, workers);
            // 2 points: no trustworthiness k exists; kNN preservation with its k = 1 is 1, each point's only
            // neighbour being the other in both spaces
            double[] tk = kt == 0 ? new double[] {Double.NaN, kpres == 1 && n == 2 ? 1 : Double.NaN}
                    : NeighbourMetrics.trustworthinessAndPreservation(high, graph, lowNb, kl2, kt, kpres,
                            NeighbourMetrics.RANK_SAMPLE, 0, workers);
            double hit = Double.NaN;
            if (labels != null) {
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    for (int e = i * kl2; e < i * kl2 + khit; e++) {
                        hits += labels[lowNb[e]] == labels[i] ? 1 : 0;
                    }
                }
                hit = hits / ((double) n * khit);
            }
            return new Report(kl, exactKl, tk[0], tk[1], hit, perplexity, approximate);
        }
    }

    /** A KL divergence and whether it is exact (else Q's normalisation is an estimate). */
    public record Kl(double value, boolean exact) {}

    /**
     * The KL divergence a t-SNE run reports for its final points, given the optimiser's own value ({@code estimate},
     * exact when {@code estimateExact}). A Barnes-Hut estimate can be far off, even negative, when many points
     * coincide (1000 duplicate rows: -16.4 for an exact 2.02), since it never counts the pairs inside a cell of
     * identical points. So: exact up to {@link #EXACT_KL_MAX_POINTS} points; above, Q's normalisation by FFT
     * interpolation (which counts every pair on its grid) for 2-D, and exact again when that is negative. Rounding
     * below 0 is reported as 0.
     */
    static Kl finalKl(Affinities p, double[] y, int dims, double estimate, boolean estimateExact, Workers workers) {
        Kl kl;
        if (estimateExact) {
            kl = new Kl(estimate, true);
        } else if (p.n() <= EXACT_KL_MAX_POINTS || dims != 2) {
            kl = new Kl(ExactGradient.klDivergence(p, y, dims, workers), true);
        } else {
            double fft;
            try (FftGradient g = new FftGradient(p, workers)) {
                fft = g.compute(y, 1, true, new double[y.length]);
            }
            kl = fft >= 0 ? new Kl(fft, false) : new Kl(ExactGradient.klDivergence(p, y, dims, workers), true);
        }
        return new Kl(Math.max(0, kl.value()), kl.exact());
    }

    /** The first k neighbours of every row of a graph with more. */
    private static Neighbours firstColumns(Neighbours g, int k) {
        if (k == g.k()) {
            return g;
        }
        int n = g.n();
        int[] idx = new int[n * k];
        float[] dist = new float[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g.index(), i * g.k(), idx, i * k, k);
            System.arraycopy(g.sqDistances(), i * g.k(), dist, i * k, k);
        }
        return new Neighbours(n, k, idx, dist);
    }

    /**
     * Per point, the fraction of its k nearest embedding neighbours (exact) that share its label: the terms whose
     * mean is {@link #neighbourhoodHit}.
     */
    public static double[] neighbourhoodHitPerPoint(FloatMatrix low, int[] labels, int k, int threads) {
        int n = low.rows();
        if (labels.length != n) {
            throw new HavException("labels", labels.length + " labels for " + n + " points", "give one label per point");
        }
        checkK(k, n, "neighbourhood hit");
        return NeighbourMetrics.hitPerPoint(lowNeighbours(TsneInput.scaled(low), k, threads), k, k, labels);
    }

    /**
     * The k a metric uses on n points: {@code k}, lowered with a warning (once per message) to what n points allow,
     * as the perplexity is lowered for small inputs: n - 1 neighbours at most, and for trustworthiness 3k < 2n - 1
     * (its normaliser). 0 when no k fits (trustworthiness of 2 points).
     */
    public static int usableK(String metric, int k, int n) {
        int max = metric.equals("trustworthiness") ? (2 * n - 2) / 3 : n - 1;
        if (k <= max) {
            return k;
        }
        int used = Math.max(0, max);
        String text = String.format(java.util.Locale.ROOT, "%d points are too few for %s with k = %d; %s", n, metric,
                k, used == 0 ? "it is left out (n/a)" : "using k = " + used);
        Warnings.warnOnce(text, text);
        return used;
    }

    /**
     * KL(P || Q): P from {@code high} at {@code perplexity} as every backend builds it (rescaled input, see
     * {@link TsneInput}), Q from {@code low} as it is (Q depends on the embedding's scale).
     */
    public static double klDivergence(FloatMatrix high, FloatMatrix low, double perplexity, int threads) {
        checkPair(high, low);
        int n = high.rows();
        TsneParameters params = TsneParameters.defaults().withPerplexity(perplexity);
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            Affinities p = CpuTsne.affinities(TsneInput.scaled(high), perplexity, params.neighbours(n), workers);
            double[] y = toDouble(low);
            if (n <= EXACT_KL_MAX_POINTS || low.cols() != 2) {
                return ExactGradient.klDivergence(p, y, low.cols(), workers);
            }
            try (FftGradient g = new FftGradient(p, workers)) {
                return g.compute(y, 1, true, new double[y.length]);
            }
        }
    }

    /** Trustworthiness with k neighbours (scikit-learn's definition; needs k < (2n - 1) / 3). */
    public static double trustworthiness(FloatMatrix high, FloatMatrix low, int k, int threads) {
        return trustworthinessAndPreservation(high, low, k, 1, threads)[0];
    }

    /** kNN preservation: mean fraction of each point's k data-space neighbours that are among its k 2-D ones. */
    public static double knnPreservation(FloatMatrix high, FloatMatrix low, int k, int threads) {
        return trustworthinessAndPreservation(high, low, 1, k, threads)[1];
    }

    /** Neighbourhood hit: mean fraction of each point's k embedding neighbours that carry its label. */
    public static double neighbourhoodHit(FloatMatrix low, int[] labels, int k, int threads) {
        int n = low.rows();
        if (labels.length != n) {
            throw new HavException("labels", labels.length + " labels for " + n + " points", "give one label per point");
        }
        checkK(k, n, "neighbourhood hit");
        int[] nb = lowNeighbours(TsneInput.scaled(low), k, threads);
        long hits = 0;
        for (int i = 0; i < n; i++) {
            for (int e = i * k; e < (i + 1) * k; e++) {
                if (labels[nb[e]] == labels[i]) {
                    hits++;
                }
            }
        }
        return hits / ((double) n * k);
    }

    /** One pass over the data-space distances for both neighbour metrics: {trustworthiness, kNN preservation}. */
    private static double[] trustworthinessAndPreservation(FloatMatrix high, FloatMatrix low, int kt, int kp,
                                                           int threads) {
        checkPair(high, low);
        int n = high.rows();
        checkK(kp, n, "kNN preservation");
        checkK(kt, n, "trustworthiness");
        if (3L * kt >= 2L * n - 1) {
            throw new HavException("trustworthiness", "k = " + kt + " is too large for " + n + " points",
                    "need k < (2n - 1) / 3");
        }
        int kl = Math.max(kt, kp);
        // ranks only: both sides rescaled (TsneInput) so that no scale overflows or underflows float distances
        FloatMatrix highScaled = TsneInput.scaled(high);
        int[] lowNb = lowNeighbours(TsneInput.scaled(low), kl, threads);
        long[] penalty = new long[n];
        int[] kept = new int[n];
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            SquaredDistances.forEachRow(highScaled, workers, (i, buf, off) -> {
                int kh = Math.max(kt, kp);
                int[] idx = new int[kh];
                float[] dist = new float[kh];
                Neighbours.select(buf, off, n, i, kh, idx, dist, 0);
                // preservation: overlap of the first kp of each list
                int common = 0;
                for (int a = 0; a < kp; a++) {
                    for (int b = 0; b < kp; b++) {
                        if (lowNb[i * kl + a] == idx[b]) {
                            common++;
                            break;
                        }
                    }
                }
                kept[i] = common;
                // trustworthiness: rank in the data of every low-dim neighbour that is not a data neighbour
                long t = 0;
                for (int a = 0; a < kt; a++) {
                    int j = lowNb[i * kl + a];
                    boolean inData = false;
                    for (int b = 0; b < kt; b++) {
                        if (idx[b] == j) {
                            inData = true;
                            break;
                        }
                    }
                    if (inData) {
                        continue;
                    }
                    float dj = buf[off + j];
                    int rank = 1;
                    for (int l = 0; l < n; l++) {
                        if (l != i) {
                            float dl = buf[off + l];
                            if (dl < dj || (dl == dj && l < j)) {
                                rank++;
                            }
                        }
                    }
                    t += Math.max(0, rank - kt);
                }
                penalty[i] = t;
            });
        }
        double sum = 0;
        long keptTotal = 0;
        for (int i = 0; i < n; i++) {
            sum += penalty[i];
            keptTotal += kept[i];
        }
        double trust = 1 - sum * (2.0 / ((double) n * kt * (2.0 * n - 3.0 * kt - 1.0)));
        return new double[] {trust, keptTotal / ((double) n * kp)};
    }

    /** Exact k nearest neighbours in the embedding, n x k row-major ({@link LowNeighbours}: a grid in 2-D). */
    static int[] lowNeighbours(FloatMatrix low, int k, int threads) {
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            return LowNeighbours.of(low, k, workers);
        }
    }

    /** {@link #lowNeighbours} by brute force over all pairs: the reference the grid search is tested against. */
    static int[] lowNeighboursBruteForce(FloatMatrix low, int k, int threads) {
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            return LowNeighbours.bruteForce(low, k, workers);
        }
    }

    private static void checkPair(FloatMatrix high, FloatMatrix low) {
        if (high.rows() != low.rows()) {
            throw new HavException("metrics", "data have " + high.rows() + " rows, embedding " + low.rows(),
                    "pass the data the embedding was made from");
        }
        TsneInput.checkMatrix(high, "metrics: data");
        TsneInput.checkMatrix(low, "metrics: embedding");
    }

    private static void checkK(int k, int n, String what) {
        if (k < 1 || k > n - 1) {
            throw new HavException(what, "k = " + k + " neighbours need at least " + (k + 1) + " points, got " + n,
                    "use more points or a smaller k");
        }
    }

    static double[] toDouble(FloatMatrix m) {
        double[] y = new double[m.data().length];
        for (int e = 0; e < y.length; e++) {
            y[e] = m.data()[e];
        }
        return y;
    }
}
