package org.hiddenactivity.neurons;

import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevr;
import static org.bytedeco.openblas.global.openblas.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas.blas_set_num_threads;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * Metric multidimensional scaling to 2-D by SMACOF (de Leeuw's majorisation, the Guttman transform), as
 * scikit-learn's {@code MDS(metric=True, n_components=2, dissimilarity="precomputed")} but started from
 * classical (Torgerson) MDS instead of random starts, so it is deterministic and needs one run
 * (scikit-learn's n_init=4 random starts are replaced by that one informed start). SMACOF is written here
 * because no library on Maven Central has it (docs/libraries.md); the eigenpairs come from LAPACKE_dsyevr.
 */
public final class Mds {
    private Mds() {}

    /**
     * @param maxIterations SMACOF iterations at most (scikit-learn max_iter, default 300)
     * @param eps           stop when the normalised stress improves by less than this (scikit-learn eps, 1e-3;
     *                      normalised as scikit-learn does: stress / sum of the points' norms)
     * @param threads       worker threads of the Guttman transform; the result does not depend on it
     */
    public record Parameters(int maxIterations, double eps, int threads) {
        public Parameters {
            if (maxIterations < 0 || !(eps >= 0) || threads < 1) {
                throw new IllegalArgumentException("need maxIterations >= 0, eps >= 0, threads >= 1; got "
                        + maxIterations + ", " + eps + ", " + threads);
            }
        }

        /** scikit-learn's defaults, all available cores. */
        public static Parameters defaults() {
            return new Parameters(300, 1e-3, Runtime.getRuntime().availableProcessors());
        }

        public Parameters withThreads(int t) {
            return new Parameters(maxIterations, eps, t);
        }
    }

    /**
     * @param points           n x 2 configuration
     * @param stress           raw stress: sum over pairs i &lt; j of (d_ij - delta_ij)^2, of the returned points
     * @param stress1          Kruskal's stress-1, sqrt(stress / sum over pairs of delta_ij^2) (0 = perfect)
     * @param classicalStress  raw stress of the classical-MDS start, for comparison
     * @param iterations       SMACOF iterations run
     * @param converged        whether the tolerance was reached before maxIterations
     */
    public record Result(FloatMatrix points, double stress, double stress1, double classicalStress, int iterations,
                         boolean converged) {}

    /** MDS of the live neurons of {@code d} (row i of the result is neuron {@code d.live()[i]}). */
    public static Result fit(NeuronDissimilarity d, Parameters p) {
        return fit(d.distances(), d.size(), p);
    }

    /**
     * MDS of an n x n symmetric dissimilarity matrix (row-major, zero diagonal, not modified).
     */
    public static Result fit(double[] dissimilarities, int n, Parameters p) {
        if ((long) n * n != dissimilarities.length) {
            throw new IllegalArgumentException("dissimilarity matrix has " + dissimilarities.length
                    + " values, expected " + n + " x " + n);
        }
        for (int i = 0; i < dissimilarities.length; i++) {
            double v = dissimilarities[i];
            if (!Double.isFinite(v) || v < 0) {
                throw new HavException("dissimilarities", "value " + v + " at (" + (i / n) + ", " + (i % n)
                        + ") is negative or not finite", "pass finite non-negative dissimilarities");
            }
        }
        double[] x = classical(dissimilarities, n);
        // Single precision halves the memory traffic of the O(n^2) loop; dissimilarities lie in a small range.
        float[] delta = new float[dissimilarities.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (float) dissimilarities[i];
        }
        ForkJoinPool pool = new ForkJoinPool(p.threads());
        try {
            double[] rowStress = new double[n];
            double[] next = new double[2 * n];
            double[][] acc = new double[BLOCKS][2 * n];
            double[] blockStress = new double[BLOCKS];
            int[] blockStart = blockStarts(n);
            double classicalStress = stress(pool, delta, x, n, rowStress);
            double oldNormalised = Double.NaN;
            int it = 0;
            boolean converged = false;
            while (it < p.maxIterations()) {
                double s = guttman(pool, delta, x, next, n, acc, blockStress, blockStart);
                double[] t = x;
                x = next;
                next = t;
                it++;
                double norms = 0;
                for (int i = 0; i < n; i++) {
                    norms += Math.sqrt(x[i] * x[i] + x[n + i] * x[n + i]);
                }
                double normalised = norms > 0 ? s / norms : 0;
                if (!Double.isNaN(oldNormalised) && oldNormalised - normalised < p.eps()) {
                    converged = true;
                    break;
                }
                oldNormalised = normalised;
            }
            double finalStress = stress(pool, delta, x, n, rowStress);
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double v = dissimilarities[i * n + j];
                    sumSq += v * v;
                }
            }
            float[] out = new float[2 * n];
            for (int i = 0; i < n; i++) {
                out[2 * i] = (float) x[i];
                out[2 * i + 1] = (float) x[n + i];
            }
            double stress1 = sumSq > 0 ? Math.sqrt(finalStress / sumSq) : 0;
            return new Result(new FloatMatrix(n, 2, out), finalStress, stress1, classicalStress, it, converged);
        } finally {
            pool.shutdown();
        }
    }

    /** Fixed number of row blocks (independent of the thread count, so sums are always taken in one order). */
    private static final int BLOCKS = 32;

    /**
     * One Guttman transform X' = B(X) X / n; returns the raw stress of X (before the update), as scikit-learn.
     * Each pair i &lt; j is visited once (half the square roots and divisions); blocks of rows accumulate into
     * their own buffers, which are summed in block order so the result does not depend on the thread count.
     */
    private static double guttman(ForkJoinPool pool, float[] delta, double[] x, double[] next, int n,
                                  double[][] acc, double[] blockStress, int[] blockStart) {
        // Single-precision copy for the pair loop: float sqrt and division take about half the cycles.
        float[] xs = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) x[i];
            ys[i] = (float) x[n + i];
        }
        run(pool, BLOCKS, b -> {
            double[] a = acc[b];
            java.util.Arrays.fill(a, 0);
            double st = 0;
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                float xi = xs[i];
                float yi = ys[i];
                float sx = 0;
                float sy = 0;
                float rowStress = 0;
                int row = i * n;
                for (int j = i + 1; j < n; j++) {
                    float dx = xi - xs[j];
                    float dy = yi - ys[j];
                    float d = (float) Math.sqrt(dx * dx + dy * dy);
                    float target = delta[row + j];
                    float e = d - target;
                    rowStress += e * e;
                    float ratio = target / (d == 0 ? 1e-5f : d);
                    float fx = ratio * dx;
                    float fy = ratio * dy;
                    sx += fx;
                    sy += fy;
                    a[j] -= fx;
                    a[n + j] -= fy;
                }
                a[i] += sx;
                a[n + i] += sy;
                st += rowStress;
            }
            blockStress[b] = st;
        });
        double s = 0;
        for (int b = 0; b < BLOCKS; b++) {
            s += blockStress[b];
        }
        run(pool, BLOCKS, b -> {
            int from = (int) ((long) 2 * n * b / BLOCKS);
            int to = (int) ((long) 2 * n * (b + 1) / BLOCKS);
            for (int k = from; k < to; k++) {
                double v = 0;
                for (int c = 0; c < BLOCKS; c++) {
                    v += acc[c][k];
                }
                next[k] = v / n;
            }
        });
        return s;
    }

    /** Row blocks with about equal numbers of pairs i &lt; j (row i has n - 1 - i of them). */
    private static int[] blockStarts(int n) {
        int[] start = new int[BLOCKS + 1];
        double total = (double) n * (n - 1) / 2;
        int i = 0;
        double done = 0;
        for (int b = 1; b < BLOCKS; b++) {
            double goal = total * b / BLOCKS;
            while (i < n && done + (n - 1 - i) <= goal) {
                done += n - 1 - i;
                i++;
            }
            start[b] = i;
        }
        start[BLOCKS] = n;
        return start;
    }

    private static double stress(ForkJoinPool pool, float[] delta, double[] x, int n, double[] rowStress) {
        run(pool, n, i -> {
            double st = 0;
            for (int j = i + 1; j < n; j++) {
                double dx = x[i] - x[j];
                double dy = x[n + i] - x[n + j];
                double e = Math.sqrt(dx * dx + dy * dy) - delta[i * n + j];
                st += e * e;
            }
            rowStress[i] = st;
        });
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += rowStress[i];
        }
        return s;
    }

    private static void run(ForkJoinPool pool, int n, java.util.function.IntConsumer body) {
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during MDS", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("MDS failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Classical MDS: the top two eigenpairs of the double-centred matrix -1/2 J D^2 J, scaled by the square
     * roots of their (non-negative parts of the) eigenvalues. Planar: all x, then all y.
     */
    static double[] classical(double[] delta, int n) {
        double[] x = new double[2 * n];
        if (n < 2) {
            return x;
        }
        double[] b = new double[n * n];
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double v = delta[i * n + j];
                s += v * v;
            }
            rowMean[i] = s / n;
            grand += s;
        }
        grand /= (double) n * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = delta[i * n + j];
                // Both triangles use the symmetrised value, so an almost-symmetric input still gives a symmetric B.
                double vt = delta[j * n + i];
                double sq = 0.5 * (v * v + vt * vt);
                b[i * n + j] = -0.5 * (sq - rowMean[i] - rowMean[j] + grand);
            }
        }
        int[] found = new int[1];
        double[] w = new double[n];
        double[] z = new double[2 * n];
        int[] support = new int[4];
        // One OpenBLAS thread: dsyevr is a long series of BLAS-2 calls, each a thread barrier; on a busy machine
        // those barriers cost more than they save.
        int previousThreads = blas_get_num_threads();
        int info;
        blas_set_num_threads(1);
        try {
            info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I', (byte) 'U', n, b, n, 0, 0, n - 1, n,
                    0.0, found, w, z, n, support);
        } finally {
            blas_set_num_threads(previousThreads);
        }
        if (info != 0 || found[0] != 2) {
            throw new HavException("classical MDS", "LAPACKE_dsyevr failed (info " + info + ", " + found[0]
                    + " eigenpairs)", "check the dissimilarities for NaN", HavException.EXIT_RUNTIME, null);
        }
        // Eigenvalues come ascending: column 1 is the largest.
        for (int axis = 0; axis < 2; axis++) {
            int col = 1 - axis;
            double scale = Math.sqrt(Math.max(w[col], 0));
            int argmax = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(z[col * n + i]) > Math.abs(z[col * n + argmax])) {
                    argmax = i;
                }
            }
            // Fix the eigenvector's sign (largest component positive) so the picture is reproducible.
            double sign = z[col * n + argmax] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                x[axis * n + i] = sign * scale * z[col * n + i];
            }
        }
        return x;
    }
}
