package org.hiddenactivity.projection;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hiddenactivity.core.RecordFields;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;

/**
 * UMAP (McInnes, Healy, Melville 2018) as umap-learn 0.5 defines it, on the engine's kNN ({@link Neighbours}, exact or
 * HNSW as for t-SNE) and {@link Workers}. Written here because no maintained UMAP on Maven Central fits (see
 * docs/libraries.md). Steps:
 * <ol>
 * <li>kNN with nNeighbors - 1 neighbours besides the point itself, Euclidean distances;</li>
 * <li>smooth kNN distances: rho_i the nearest non-zero distance, sigma_i by bisection so that
 * sum_j exp(-(d_ij - rho_i) / sigma_i) = log2(nNeighbors), floored at 1e-3 times the mean distance;
 * memberships exp(-(d_ij - rho_i) / sigma_i) (1 up to rho_i);</li>
 * <li>fuzzy union W = A + A^T - A o A^T; edges below max(W) / nEpochs dropped; edge e sampled every
 * max(W) / w_e epochs, its negative samples every 1 / negativeSampleRate of that;</li>
 * <li>start: PCA of the data scaled to a largest coordinate of 10 plus N(0, 1e-4^2) noise (the scaling of
 * umap-learn's {@code noisy_scale_coords}; umap-learn 0.5.3's default spectral start is not implemented), or the given points; then each axis
 * rescaled to [0, 10] as umap-learn does;</li>
 * <li>SGD over nEpochs with learning rate decaying linearly to 0, a and b from {@link UmapCurve}, gradients clipped
 * to [-4, 4].</li>
 * </ol>
 * Parallel and deterministic for any thread count, unlike umap-learn's lock-free updates: in each epoch every point
 * moves only itself, along its own edges (each undirected edge is stored in both directions, so both ends move, as
 * umap-learn's move_other; the pull is applied twice for that reason), and reads the other points as they were at
 * the start of the epoch. Negative samples come from a random stream per (seed, epoch, point).
 */
public final class UmapProjection implements Projection {
    /** Points per chunk of the parallel epoch. */
    private static final int CHUNK = 256;
    private static final double SMOOTH_K_TOLERANCE = 1e-5;
    private static final double MIN_K_DIST_SCALE = 1e-3;
    private static final float CLIP = 4f;
    private final UmapParameters params;

    public UmapProjection(UmapParameters params) {
        if (params == null) {
            throw new HavException("UMAP", "no parameters given", "pass UmapParameters.defaults()");
        }
        this.params = params;
    }

    public UmapParameters parameters() {
        return params;
    }

    @Override
    public Method method() {
        return Method.UMAP;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method().id());
        m.putAll(RecordFields.of(params, Set.of("threads")));
        m.put("init", "pca");
        return m;
    }

    @Override
    public long steps(int n) {
        return params.epochsFor(n);
    }

    @Override
    public Embedding fit(FloatMatrix data, FloatMatrix initial, Progress progress) {
        long start = System.nanoTime();
        TsneInput.checkMatrix(data, "UMAP input");
        int n = data.rows();
        if (initial != null && (initial.rows() != n || initial.cols() != 2 || initial.firstNonFinite() >= 0)) {
            throw new HavException("UMAP initial points", "shape " + initial.rows() + " x " + initial.cols()
                    + " or non-finite values; expected " + n + " x 2, finite", "give one starting point per observation");
        }
        int k = Math.min(params.nNeighbors() - 1, n - 1);
        int epochs = params.epochsFor(n);
        try (Workers workers = new Workers(Workers.resolve(params.threads()))) {
            Neighbours nb = Neighbours.search(data, k, params.neighbourSearch(), workers);
            Graph graph = fuzzyUnion(nb, memberships(nb, params.nNeighbors(), workers), workers);
            float[] y = initial != null ? initial.data().clone() : pcaStart(data, workers);
            rescale(y, n);
            UmapCurve curve = params.curve();
            optimise(graph, y, n, epochs, curve, workers, progress);
            for (int e = 0; e < y.length; e++) {
                if (!Float.isFinite(y[e])) {
                    throw new HavException("UMAP", "the optimisation diverged (non-finite coordinate at point "
                            + e / 2 + ")", "lower the learning rate", HavException.EXIT_RUNTIME, null);
                }
            }
            return new Embedding(new FloatMatrix(n, 2, y), Double.NaN, new double[0],
                    (System.nanoTime() - start) / 1e9, "cpu", workers.threads() + " threads", Double.NaN);
        }
    }

    /**
     * Memberships of each point's k neighbours (n x k, umap-learn's {@code smooth_knn_dist} and
     * {@code compute_membership_strengths}; the point's own zero distance counts in the means as there).
     */
    static float[] memberships(Neighbours nb, int nNeighbors, Workers workers) {
        int n = nb.n();
        int k = nb.k();
        float[] sq = nb.sqDistances();
        double total = 0;
        for (float v : sq) {
            total += Math.sqrt(Math.max(0f, v));
        }
        double meanAll = total / ((double) n * (k + 1));
        double target = Math.log(nNeighbors) / Math.log(2);
        float[] w = new float[n * k];
        workers.forChunks(n, CHUNK, (chunk, from, to) -> {
            double[] d = new double[k];
            for (int i = from; i < to; i++) {
                double rho = 0;
                double sum = 0;
                for (int e = 0; e < k; e++) {
                    d[e] = Math.sqrt(Math.max(0f, sq[i * k + e]));
                    sum += d[e];
                    if (rho == 0 && d[e] > 0) {
                        rho = d[e];
                    }
                }
                double sigma = sigma(d, rho, target);
                double meanI = sum / (k + 1);
                if (rho > 0) {
                    sigma = Math.max(sigma, MIN_K_DIST_SCALE * meanI);
                } else {
                    sigma = Math.max(sigma, MIN_K_DIST_SCALE * meanAll);
                }
                for (int e = 0; e < k; e++) {
                    double t = d[e] - rho;
                    w[i * k + e] = t <= 0 || sigma == 0 ? 1f : (float) Math.exp(-t / sigma);
                }
            }
        });
        return w;
    }

    /** umap-learn's bisection for sigma: sum_j exp(-(d_j - rho) / sigma) = target (64 steps at most). */
    static double sigma(double[] d, double rho, double target) {
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double mid = 1;
        for (int step = 0; step < 64; step++) {
            double psum = 0;
            for (double v : d) {
                double t = v - rho;
                psum += t > 0 ? Math.exp(-t / mid) : 1;
            }
            if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) {
                break;
            }
            if (psum > target) {
                hi = mid;
                mid = (lo + hi) / 2;
            } else {
                lo = mid;
                mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
            }
        }
        return mid;
    }

    /** The symmetric fuzzy graph in CSR form; each undirected edge stored in both rows. */
    record Graph(int n, int[] rowStart, int[] col, float[] weight) {}

    /** W = A + A^T - A o A^T of the directed memberships A (n x k at nb's indices); columns ascending per row. */
    static Graph fuzzyUnion(Neighbours nb, float[] a, Workers workers) {
        int n = nb.n();
        int k = nb.k();
        int[] index = nb.index();
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int e = i * k; e < (i + 1) * k; e++) {
                count[i + 1]++;
                count[index[e] + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] fill = count.clone();
        // each entry: column << 32 | (own direction ? 0 : 1) << 31 | position, then the value by position
        long[] keys = new long[count[n]];
        float[] vals = new float[count[n]];
        for (int i = 0; i < n; i++) {
            for (int e = i * k; e < (i + 1) * k; e++) {
                int j = index[e];
                int at = fill[i]++;
                keys[at] = (long) j << 32 | (at - count[i]);
                vals[at] = a[e];
                at = fill[j]++;
                keys[at] = (long) i << 32 | 1L << 31 | (at - count[j]);
                vals[at] = a[e];
            }
        }
        int[] rowLength = new int[n];
        int[] colOut = new int[count[n]];
        float[] valOut = new float[count[n]];
        workers.forChunks(n, CHUNK, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                int base = count[i];
                int len = count[i + 1] - base;
                Arrays.sort(keys, base, base + len);
                int used = 0;
                for (int e = 0; e < len; ) {
                    int j = (int) (keys[base + e] >>> 32);
                    double forward = 0;
                    double backward = 0;
                    while (e < len && (int) (keys[base + e] >>> 32) == j) {
                        long key = keys[base + e];
                        float v = vals[base + (int) (key & 0x7fffffffL)];
                        if ((key & 1L << 31) == 0) {
                            forward = Math.max(forward, v);
                        } else {
                            backward = Math.max(backward, v);
                        }
                        e++;
                    }
                    double w = forward + backward - forward * backward;
                    if (w > 0) {
                        colOut[base + used] = j;
                        valOut[base + used] = (float) w;
                        used++;
                    }
                }
                rowLength[i] = used;
            }
        });
        int[] rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] = rowStart[i] + rowLength[i];
        }
        int[] col = new int[rowStart[n]];
        float[] weight = new float[rowStart[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(colOut, count[i], col, rowStart[i], rowLength[i]);
            System.arraycopy(valOut, count[i], weight, rowStart[i], rowLength[i]);
        }
        return new Graph(n, rowStart, col, weight);
    }

    /** PCA of the data, largest coordinate scaled to 10, plus N(0, 1e-4^2) noise (umap-learn's noisy_scale_coords). */
    private float[] pcaStart(FloatMatrix data, Workers workers) {
        int n = data.rows();
        double[] p = Initialisation.principalComponents(data, 2, params.randomState(), workers);
        double max = 0;
        for (double v : p) {
            max = Math.max(max, Math.abs(v));
        }
        double expansion = max > 0 ? 10 / max : 1;
        java.util.Random noise = new java.util.Random(params.randomState());
        float[] y = new float[2 * n];
        for (int e = 0; e < y.length; e++) {
            y[e] = (float) (p[e] * expansion + 1e-4 * noise.nextGaussian());
        }
        return y;
    }

    /** Each axis to [0, 10], as umap-learn does to every start before the optimisation. */
    private static void rescale(float[] y, int n) {
        for (int a = 0; a < 2; a++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, y[2 * i + a]);
                max = Math.max(max, y[2 * i + a]);
            }
            float range = max - min;
            for (int i = 0; i < n; i++) {
                y[2 * i + a] = range > 0 ? 10f * (y[2 * i + a] - min) / range : 0f;
            }
        }
    }

    private void optimise(Graph g, float[] y, int n, int epochs, UmapCurve curve, Workers workers,
                          Progress progress) {
        int edges = g.rowStart()[n];
        float max = 0;
        for (float w : g.weight()) {
            max = Math.max(max, w);
        }
        // umap-learn drops edges too weak to be sampled once in the run, then samples each every max / w epochs
        float[] perSample = new float[edges];
        float[] perNegative = new float[edges];
        float[] nextSample = new float[edges];
        float[] nextNegative = new float[edges];
        int rate = params.negativeSampleRate();
        for (int e = 0; e < edges; e++) {
            float w = g.weight()[e];
            perSample[e] = w >= max / epochs ? max / w : -1f;
            perNegative[e] = rate > 0 ? perSample[e] / rate : Float.POSITIVE_INFINITY;
            nextSample[e] = perSample[e];
            nextNegative[e] = perNegative[e];
        }
        float a = (float) curve.a();
        float b = (float) curve.b();
        float gamma = (float) params.repulsionStrength();
        float[] before = y.clone();
        long seed = params.randomState();
        for (int epoch = 0; epoch < epochs; epoch++) {
            final int ep = epoch;
            final float alpha = (float) (params.learningRate() * (1.0 - (double) epoch / epochs));
            workers.forChunks(n, CHUNK, (chunk, from, to) -> {
                for (int i = from; i < to; i++) {
                    moveOne(g, i, ep, alpha, a, b, gamma, y, before, perSample, perNegative, nextSample,
                            nextNegative, n, seed);
                }
            });
            System.arraycopy(y, 0, before, 0, y.length);
            progress.step(epoch + 1);
        }
    }

    /** Point i's moves in one epoch: its due edges' pulls and their negative samples' pushes. */
    private static void moveOne(Graph g, int i, int epoch, float alpha, float a, float b, float gamma, float[] y,
                                float[] before, float[] perSample, float[] perNegative, float[] nextSample,
                                float[] nextNegative, int n, long seed) {
        float yi0 = y[2 * i];
        float yi1 = y[2 * i + 1];
        long state = mix(seed ^ mix(epoch * 0x9E3779B97F4A7C15L + i));
        int[] rowStart = g.rowStart();
        int[] col = g.col();
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
            if (perSample[e] <= 0 || nextSample[e] > epoch) {
                continue;
            }
            int j = col[e];
            float d0 = yi0 - before[2 * j];
            float d1 = yi1 - before[2 * j + 1];
            float dist2 = d0 * d0 + d1 * d1;
            if (dist2 > 0) {
                double p = Math.pow(dist2, b);  // d^(2(b - 1)) = p / d^2: one pow instead of two
                float coeff = (float) (-2.0 * a * b * (p / dist2) / (a * p + 1.0));
                // pulled from both ends of the edge, as umap-learn moves head and tail
                yi0 += 2 * clip(coeff * d0) * alpha;
                yi1 += 2 * clip(coeff * d1) * alpha;
            }
            nextSample[e] += perSample[e];
            int negatives = (int) ((epoch - nextNegative[e]) / perNegative[e]);
            for (int s = 0; s < negatives; s++) {
                state = mix(state);
                int k = (int) Long.remainderUnsigned(state, n);
                if (k == i) {
                    continue;
                }
                float r0 = yi0 - before[2 * k];
                float r1 = yi1 - before[2 * k + 1];
                float r2 = r0 * r0 + r1 * r1;
                if (r2 > 0) {
                    float coeff = (float) (2.0 * gamma * b / ((0.001 + r2) * (a * Math.pow(r2, b) + 1.0)));
                    yi0 += clip(coeff * r0) * alpha;
                    yi1 += clip(coeff * r1) * alpha;
                } else {
                    yi0 += CLIP * alpha;
                    yi1 += CLIP * alpha;
                }
            }
            nextNegative[e] += negatives * perNegative[e];
        }
        y[2 * i] = yi0;
        y[2 * i + 1] = yi1;
    }

    private static float clip(float v) {
        return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value from any input. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
