package org.hiddenactivity.projection;

import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.hiddenactivity.core.FloatMatrix;

/**
 * The neighbourhood metrics of {@link Metrics} from kNN graphs instead of all N^2 distances: the data-space graph
 * (the one P is built from, k = 3 x perplexity &gt;= the metrics' k) and the exact embedding graph
 * ({@link LowNeighbours}).
 * <ul>
 * <li>kNN preservation and neighbourhood hit: exact (given an exact data-space graph).</li>
 * <li>Trustworthiness: a low-dimensional neighbour j of i that is among i's K data-space neighbours has its exact
 * rank; one beyond them has rank K + 1 + (number of points outside the K closer to i than j), that number counted on
 * a seeded sample of {@link #RANK_SAMPLE} points (one per block of rows) and scaled up (unbiased; exact when it is every
 * point, i.e. for N &lt;= RANK_SAMPLE, up to float rounding of near-ties). The distances come from SGEMM blocks,
 * O(N_out x sample x D).</li>
 * </ul>
 */
final class NeighbourMetrics {
    /** Points the ranks beyond the data-space graph are counted on. */
    static final int RANK_SAMPLE = 4096;
    private static final int BLOCK = 256;

    private NeighbourMetrics() {}

    /** {trustworthiness (k = kt), kNN preservation (k = kp)} from the data graph {@code high} and embedding graph. */
    static double[] trustworthinessAndPreservation(FloatMatrix x, Neighbours high, int[] low, int kl, int kt, int kp,
                                                   int sample, long seed, Workers workers) {
        int n = x.rows();
        int kh = high.k();
        if (kh < Math.max(kt, kp)) {
            throw new IllegalArgumentException("data graph has k = " + kh + ", needs " + Math.max(kt, kp));
        }
        int[] hi = high.index();
        long[] penalty = new long[n];
        int[] kept = new int[n];
        // per point, its low-dimensional neighbours whose rank lies beyond the data graph (null: none)
        int[][] outside = new int[n][];
        workers.forChunks(n, 256, (c, start, end) -> {
            int[] buf = new int[kt];
            for (int i = start; i < end; i++) {
                int common = 0;
                for (int a = 0; a < kp; a++) {
                    int j = low[i * kl + a];
                    for (int b = 0; b < kp; b++) {
                        if (hi[i * kh + b] == j) {
                            common++;
                            break;
                        }
                    }
                }
                kept[i] = common;
                long t = 0;
                int out = 0;
                for (int a = 0; a < kt; a++) {
                    int j = low[i * kl + a];
                    int pos = -1;
                    for (int b = 0; b < kh; b++) {
                        if (hi[i * kh + b] == j) {
                            pos = b;
                            break;
                        }
                    }
                    if (pos < 0) {
                        buf[out++] = j;
                    } else if (pos >= kt) {
                        t += pos + 1 - kt;
                    }
                }
                penalty[i] = t;
                outside[i] = out == 0 ? null : java.util.Arrays.copyOf(buf, out);
            }
        });
        double beyond = beyondGraphPenalty(x, high, outside, kt, sample, seed, workers);
        double sum = beyond;
        long keptTotal = 0;
        for (int i = 0; i < n; i++) {
            sum += penalty[i];
            keptTotal += kept[i];
        }
        double trust = 1 - sum * (2.0 / ((double) n * kt * (2.0 * n - 3.0 * kt - 1.0)));
        return new double[] {trust, keptTotal / ((double) n * kp)};
    }

    /** Sum over the pairs beyond the data graph of (estimated rank - kt). */
    private static double beyondGraphPenalty(FloatMatrix x, Neighbours high, int[][] outside, int kt, int sample,
                                             long seed, Workers workers) {
        int n = x.rows();
        int d = x.cols();
        int kh = high.k();
        int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> outside[i] != null).toArray();
        if (rows.length == 0) {
            return 0;
        }
        float[] norms = SquaredDistances.norms(x);
        double[] perBlock = new double[Workers.chunks(rows.length, BLOCK)];
        openblas.blas_set_num_threads(1);
        workers.forChunks(rows.length, BLOCK, (c, from, to) -> {
            // each block of rows draws its own sample (seeded by the block), so sampling errors do not add up
            // across blocks the way one shared, by chance unrepresentative, sample would make them
            int[] s = samplePoints(n, sample, seed * 1_000_003L + c);
            int m = s.length;
            int r = to - from;
            float[] block = new float[r * d];
            for (int a = 0; a < r; a++) {
                System.arraycopy(x.data(), rows[from + a] * d, block, a * d, d);
            }
            float[] dots = new float[r * m];
            try (FloatPointer sampleRows = new FloatPointer((long) m * d);
                 FloatPointer bp = new FloatPointer(block); FloatPointer cp = new FloatPointer((long) r * m)) {
                for (int e = 0; e < m; e++) {
                    sampleRows.position((long) e * d).put(x.data(), s[e] * d, d);
                }
                sampleRows.position(0);
                openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, r, m, d,
                        1f, bp, d, sampleRows, d, 0f, cp, m);
                cp.get(dots);
            }
                double total = 0;
                java.util.BitSet inGraph = new java.util.BitSet(n);
                for (int a = 0; a < r; a++) {
                    int i = rows[from + a];
                    inGraph.clear();
                    for (int b = 0; b < kh; b++) {
                        inGraph.set(high.index()[i * kh + b]);
                    }
                    // candidates: sample points other than i and outside i's graph
                    int eligible = 0;
                    for (int e = 0; e < m; e++) {
                        if (s[e] != i && !inGraph.get(s[e])) {
                            eligible++;
                        }
                    }
                    double scale = eligible == 0 ? 0 : (n - 1.0 - kh) / eligible;
                    for (int j : outside[i]) {
                        // j's distance by the same formula as the sample's (comparable up to rounding of near-ties)
                        float dj;
                        if (m == n) {
                            dj = Math.max(0f, norms[i] + norms[j] - 2f * dots[a * m + j]);
                        } else {
                            dj = Math.max(0f, norms[i] + norms[j] - 2f * dot(x, i, j));
                        }
                        int closer = 0;
                        for (int e = 0; e < m; e++) {
                            int l = s[e];
                            if (l == i || inGraph.get(l)) {
                                continue;
                            }
                            float v = norms[i] + norms[l] - 2f * dots[a * m + e];
                            float dl = v > 0f ? v : 0f;
                            if (dl < dj || (dl == dj && l < j)) {
                                closer++;
                            }
                        }
                        double rank = 1 + kh + closer * scale;
                        total += rank - kt;
                    }
                }
                perBlock[c] = total;
        });
        double sum = 0;
        for (double v : perBlock) {
            sum += v;
        }
        return sum;
    }

    private static float dot(FloatMatrix x, int i, int j) {
        int d = x.cols();
        float[] v = x.data();
        float s = 0;
        for (int k = 0; k < d; k++) {
            s += v[i * d + k] * v[j * d + k];
        }
        return s;
    }

    /** Every point when n <= sample, else {@code sample} distinct points drawn with the seed, ascending. */
    static int[] samplePoints(int n, int sample, long seed) {
        if (n <= sample) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        Random r = new Random(seed);
        for (int e = 0; e < sample; e++) {
            int pick = e + r.nextInt(n - e);
            int t = all[e];
            all[e] = all[pick];
            all[pick] = t;
        }
        int[] s = java.util.Arrays.copyOf(all, sample);
        java.util.Arrays.sort(s);
        return s;
    }

    /** Fraction of each point's k embedding neighbours (first k of rows of kl) that carry its label, per point. */
    static double[] hitPerPoint(int[] low, int kl, int k, int[] labels) {
        int n = labels.length;
        double[] hit = new double[n];
        for (int i = 0; i < n; i++) {
            int same = 0;
            for (int e = i * kl; e < i * kl + k; e++) {
                if (labels[low[e]] == labels[i]) {
                    same++;
                }
            }
            hit[i] = same / (double) k;
        }
        return hit;
    }
}
