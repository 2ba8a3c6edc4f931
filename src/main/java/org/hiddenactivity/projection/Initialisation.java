package org.hiddenactivity.projection;

import org.hiddenactivity.core.Warnings;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * Starting points of the optimisation, as scikit-learn makes them: PCA of the data (or classical MDS of a
 * dissimilarity matrix) scaled so that the first coordinate has standard deviation 1e-4, or N(0, 1e-4^2) noise.
 * Eigenvectors come from LAPACK ({@code LAPACKE_dsyevr} of OpenBLAS); the sign of each is fixed so that its entry of
 * largest magnitude is positive (scikit-learn's svd_flip rule), so the result does not depend on the LAPACK build.
 * {@link #pcaStart} and {@link #randomStart} are the starts of every backend (CPU and CUDA).
 */
public final class Initialisation {
    /** Standard deviation of the first coordinate of a PCA start, and of every coordinate of a random start. */
    static final double SCALE = 1e-4;
    /** Directions k beyond the {@code dims} wanted: they make the top ones converge in a few iterations. */
    static final int OVERSAMPLE = 8;
    /** Products with the covariance; with the oversampling, enough for the top 2 axes to match exact PCA. */
    static final int POWER_ITERATIONS = 4;
    /** The axes are fitted on at most this many rows (evenly spaced). */
    static final int SAMPLE_ROWS = 10_000;
    /** Rows per SGEMM block; fixed so the sums do not depend on the thread count. */
    static final int BLOCK_ROWS = 256;

    private Initialisation() {}

    /** N(0, SCALE^2) coordinates from {@code seed}, row-major n x dims. */
    static double[] random(int n, int dims, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n * dims];
        for (int i = 0; i < y.length; i++) {
            y[i] = SCALE * r.nextGaussian();
        }
        return y;
    }

    /**
     * The PCA start of every backend (CpuTsne and CudaTsne call this, so both start from the same points): the data
     * projected on its top {@code dims} principal axes, first coordinate scaled to std 1e-4, values rounded to float.
     * Deterministic for a seed and independent of {@code threads} ({@code <= 0}: all cores). Falls back to
     * {@link #random} (with a warning on stderr) when the data have no variance; dimensions beyond the rank of the
     * data (D < dims) are filled with random N(0, SCALE^2) values so the optimiser can still move along them.
     */
    public static FloatMatrix pcaStart(FloatMatrix x, int dims, long seed, int threads) {
        double[] y;
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            y = pca(x, dims, seed, workers);
        }
        return new FloatMatrix(x.rows(), dims, toFloat(y));
    }

    /** {@link #random} as a float matrix, the random start of every backend. */
    public static FloatMatrix randomStart(int n, int dims, long seed) {
        return new FloatMatrix(n, dims, toFloat(random(n, dims, seed)));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * {@link #pcaStart} as doubles (each a float value). Randomized subspace iteration (Halko, Martinsson and Tropp
     * 2011) on the covariance: k = dims + {@value #OVERSAMPLE} seeded Gaussian directions, {@value #POWER_ITERATIONS}
     * times multiplied by the covariance and re-orthonormalised, then the exact k x k eigenproblem of B^T B, B = S Q
     * (Rayleigh-Ritz; B U are then the projections of the rows used). The covariance is never formed: each product is
     * two SGEMMs per block of {@value #BLOCK_ROWS} centred rows. This costs O(n d k) instead of the O(n d^2 + d^3) of
     * the full covariance and its eigenvectors (the former method, several times slower at 70000 x 784). Above {@value #SAMPLE_ROWS} rows the axes are fitted on that many evenly spaced rows
     * and every row is then projected: the start only has to be a good one, and its cost stays bounded.
     * Blocks are fixed, each SGEMM runs on one OpenBLAS thread and partial sums are added in block order, so the
     * result does not depend on the thread count.
     */
    static double[] pca(FloatMatrix x, int dims, long seed, Workers workers) {
        int n = x.rows();
        double[] out = scaled(principalComponents(x, dims, seed, workers), n, dims, Math.min(dims, x.cols()), seed);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) out[i];
        }
        return out;
    }

    /**
     * The rows of {@code x} projected on its top {@code dims} principal axes, centred, unscaled (n x dims, row-major;
     * columns beyond the data's D are 0): the method of {@link #pca} (randomized subspace iteration; above
     * {@value #SAMPLE_ROWS} rows the axes are fitted on evenly spaced rows), each axis's largest entry positive.
     */
    static double[] principalComponents(FloatMatrix x, int dims, long seed, Workers workers) {
        int n = x.rows();
        int d = x.cols();
        int m = Math.min(dims, d);
        int k = Math.min(d, m + OVERSAMPLE);
        int sampled = Math.min(n, SAMPLE_ROWS);
        int[] rows = new int[sampled];
        for (int r = 0; r < sampled; r++) {
            rows[r] = (int) ((long) r * n / sampled);
        }
        double[] mean = sampleMean(x, rows, workers);
        openblas.blas_set_num_threads(1);
        double[] axes;
        double[] b;
        double[] u;
        try (FloatPointer sample = centredRows(x, rows, mean, workers)) {
            Random random = new Random(seed);
            double[] q = new double[d * k];
            for (int i = 0; i < q.length; i++) {
                q[i] = random.nextGaussian();
            }
            orthonormalise(q, d, k, random);
            for (int it = 0; it < POWER_ITERATIONS; it++) {
                q = covarianceTimes(sample, sampled, d, q, k, workers);
                orthonormalise(q, d, k, random);
            }
            // Rayleigh-Ritz: B = S Q, T = B^T B = Q^T C Q; T's top eigenvectors U give the axes Q U and, when every
            // row was used, the projections B U
            b = sampleTimes(sample, sampled, d, q, k, workers);
            double[] t = new double[k * k];
            for (int i = 0; i < sampled; i++) {
                for (int a = 0; a < k; a++) {
                    double ba = b[i * k + a];
                    for (int c = a; c < k; c++) {
                        t[a * k + c] += ba * b[i * k + c];
                    }
                }
            }
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < a; c++) {
                    t[a * k + c] = t[c * k + a];
                }
            }
            u = topEigenvectors(t, k, m);
            axes = new double[d * m];
            for (int c = 0; c < d; c++) {
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int e = 0; e < k; e++) {
                        s += q[c * k + e] * u[e * m + a];
                    }
                    axes[c * m + a] = s;
                }
            }
        }
        boolean[] flipped = flipSigns(axes, d, m);
        double[] y;
        if (sampled == n) {
            y = new double[n * dims];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int e = 0; e < k; e++) {
                        s += b[i * k + e] * u[e * m + a];
                    }
                    y[i * dims + a] = flipped[a] ? -s : s;
                }
            }
        } else {
            y = project(x, mean, axes, m, dims, workers);
        }
        // centre the projections exactly (the mean above may be a sample's)
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += y[i * dims + a];
            }
            s /= n;
            for (int i = 0; i < n; i++) {
                y[i * dims + a] -= s;
            }
        }
        return y;
    }

    /** Column means of the given rows: partial sums over fixed blocks, added in block order. */
    private static double[] sampleMean(FloatMatrix x, int[] rows, Workers workers) {
        int d = x.cols();
        float[] v = x.data();
        double[][] partial = new double[Workers.chunks(rows.length, BLOCK_ROWS)][];
        workers.forChunks(rows.length, BLOCK_ROWS, (chunk, from, to) -> {
            double[] s = new double[d];
            for (int r = from; r < to; r++) {
                int base = rows[r] * d;
                for (int c = 0; c < d; c++) {
                    s[c] += v[base + c];
                }
            }
            partial[chunk] = s;
        });
        double[] mean = new double[d];
        for (double[] s : partial) {
            for (int c = 0; c < d; c++) {
                mean[c] += s[c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= rows.length;
        }
        return mean;
    }

    /** The given rows minus the mean, as one native row-major matrix. */
    private static FloatPointer centredRows(FloatMatrix x, int[] rows, double[] mean, Workers workers) {
        int d = x.cols();
        float[] v = x.data();
        FloatPointer out = new FloatPointer((long) rows.length * d);
        workers.forChunks(rows.length, BLOCK_ROWS, (chunk, from, to) -> {
            float[] buf = new float[(to - from) * d];
            for (int r = from; r < to; r++) {
                int base = rows[r] * d;
                for (int c = 0; c < d; c++) {
                    buf[(r - from) * d + c] = (float) (v[base + c] - mean[c]);
                }
            }
            new FloatPointer(out).position((long) from * d).put(buf, 0, buf.length);
        });
        return out;
    }

    /** (S^T S) Q for the centred sample S (n x d) and Q (d x k, row-major), block by block. */
    private static double[] covarianceTimes(FloatPointer sample, int n, int d, double[] q, int k, Workers workers) {
        int blocks = Workers.chunks(n, BLOCK_ROWS);
        float[][] partial = new float[blocks][];
        try (FloatPointer qp = new FloatPointer(toFloat(q))) {
            workers.forChunks(n, BLOCK_ROWS, (chunk, from, to) -> {
                int rows = to - from;
                // a view of the shared sample, not closed: closing a view would free the sample's memory
                FloatPointer block = new FloatPointer(sample).position((long) from * d);
                try (FloatPointer w = new FloatPointer((long) rows * k);
                     FloatPointer z = new FloatPointer((long) d * k)) {
                    // W = S_b Q, then Z = S_b^T W
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                            rows, k, d, 1f, block, d, qp, k, 0f, w, k);
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans,
                            d, k, rows, 1f, block, d, w, k, 0f, z, k);
                    float[] part = new float[d * k];
                    z.get(part);
                    partial[chunk] = part;
                }
            });
        }
        double[] out = new double[d * k];
        for (float[] part : partial) {
            for (int i = 0; i < out.length; i++) {
                out[i] += part[i];
            }
        }
        return out;
    }

    /**
     * Gram-Schmidt (twice, for accuracy) on the k columns of the d x k row-major q. A column that vanishes (data of
     * rank below k) is replaced by a fresh random one, so q stays orthonormal.
     */
    private static void orthonormalise(double[] q, int d, int k, Random random) {
        for (int a = 0; a < k; a++) {
            double before = Math.sqrt(columnDot(q, d, k, a, a));
            for (int attempt = 0; ; attempt++) {
                for (int pass = 0; pass < 2; pass++) {
                    for (int b = 0; b < a; b++) {
                        double r = columnDot(q, d, k, a, b);
                        for (int c = 0; c < d; c++) {
                            q[c * k + a] -= r * q[c * k + b];
                        }
                    }
                }
                double norm = Math.sqrt(columnDot(q, d, k, a, a));
                if (norm > 1e-10 * before && norm > 0 || attempt == 3) {
                    for (int c = 0; c < d; c++) {
                        q[c * k + a] = norm > 0 ? q[c * k + a] / norm : 0;
                    }
                    break;
                }
                for (int c = 0; c < d; c++) {
                    q[c * k + a] = random.nextGaussian();
                }
                before = Math.sqrt(columnDot(q, d, k, a, a));
            }
        }
    }

    private static double columnDot(double[] q, int d, int k, int a, int b) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += q[c * k + a] * q[c * k + b];
        }
        return s;
    }

    /** S Q (n x k, row-major, one SGEMM per block) for the centred sample S and Q (d x k). */
    private static double[] sampleTimes(FloatPointer sample, int n, int d, double[] q, int k, Workers workers) {
        double[] out = new double[n * k];
        try (FloatPointer qp = new FloatPointer(toFloat(q))) {
            workers.forChunks(n, BLOCK_ROWS, (chunk, from, to) -> {
                int rows = to - from;
                FloatPointer block = new FloatPointer(sample).position((long) from * d);  // a view, not closed
                float[] part = new float[rows * k];
                try (FloatPointer w = new FloatPointer((long) rows * k)) {
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                            rows, k, d, 1f, block, d, qp, k, 0f, w, k);
                    w.get(part);
                }
                for (int i = 0; i < part.length; i++) {
                    out[from * k + i] = part[i];
                }
            });
        }
        return out;
    }

    /**
     * Makes the largest-magnitude entry of each column positive (scikit-learn's svd_flip on the axes); returns which
     * columns were negated.
     */
    private static boolean[] flipSigns(double[] axes, int d, int m) {
        boolean[] flipped = new boolean[m];
        for (int a = 0; a < m; a++) {
            int argmax = 0;
            for (int c = 0; c < d; c++) {
                if (Math.abs(axes[c * m + a]) > Math.abs(axes[argmax * m + a])) {
                    argmax = c;
                }
            }
            if (axes[argmax * m + a] < 0) {
                flipped[a] = true;
                for (int c = 0; c < d; c++) {
                    axes[c * m + a] = -axes[c * m + a];
                }
            }
        }
        return flipped;
    }

    /**
     * (X - mean) A for every row, n x dims row-major (columns m.. left 0). A plain loop over the rows as they are,
     * in double, then minus mean.A: with m = 2 outputs a centred copy for SGEMM would cost more than it saves.
     */
    private static double[] project(FloatMatrix x, double[] mean, double[] axes, int m, int dims, Workers workers) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        double[] offset = new double[m];
        for (int c = 0; c < d; c++) {
            for (int a = 0; a < m; a++) {
                offset[a] += mean[c] * axes[c * m + a];
            }
        }
        // the axes as m contiguous columns, for a sequential inner loop
        double[][] cols = new double[m][d];
        for (int c = 0; c < d; c++) {
            for (int a = 0; a < m; a++) {
                cols[a][c] = axes[c * m + a];
            }
        }
        double[] y = new double[n * dims];
        workers.forChunks(n, BLOCK_ROWS, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i * d;
                for (int a = 0; a < m; a++) {
                    double[] col = cols[a];
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += v[base + c] * col[c];
                    }
                    y[i * dims + a] = s - offset[a];
                }
            }
        });
        return y;
    }

    /**
     * Classical (Torgerson) MDS of a dissimilarity matrix, the analogue of PCA when only distances are known,
     * scaled like {@link #pca}.
     */
    static double[] classicalMds(double[] distances, int n, int dims, long seed) {
        // B = -1/2 J D^2 J, J the centring matrix
        double[] b = new double[n * n];
        double[] rowMean = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double dd = distances[i * n + j] * distances[i * n + j];
                b[i * n + j] = dd;
                s += dd;
            }
            rowMean[i] = s / n;
            total += s;
        }
        total /= (double) n * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = -0.5 * (b[i * n + j] - rowMean[i] - rowMean[j] + total);
            }
        }
        int m = Math.min(dims, n);
        double[] vecs = topEigenvectors(b, n, m);
        double[] y = new double[n * dims];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < m; a++) {
                y[i * dims + a] = vecs[i * m + a];
            }
        }
        return scaled(y, n, dims, m, seed);
    }

    /**
     * Scales so coordinate 0 has std SCALE; fills coordinates m.. with noise; random start if coordinate 0 is
     * constant (no variance to scale by).
     */
    private static double[] scaled(double[] y, int n, int dims, int m, long seed) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += y[i * dims];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (y[i * dims] - mean) * (y[i * dims] - mean);
        }
        double std = Math.sqrt(var / n);
        if (!(std > 1e-12) || !Double.isFinite(std)) {
            Warnings.warn("the data have no variance along any axis; starting t-SNE from random points");
            return random(n, dims, seed);
        }
        double f = SCALE / std;
        double[] noise = m < dims ? random(n, dims, seed) : null;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dims; a++) {
                y[i * dims + a] = a < m ? y[i * dims + a] * f : noise[i * dims + a];
            }
        }
        return y;
    }

    /**
     * Eigenvectors of the m largest eigenvalues of a symmetric d x d matrix (row-major), as a d x m row-major array,
     * column 0 the largest; each column's largest-magnitude entry made positive.
     */
    static double[] topEigenvectors(double[] sym, int d, int m) {
        // one thread: on a 784 x 784 matrix OpenBLAS's threaded LAPACK is slower, and much slower on a busy machine
        openblas.blas_set_num_threads(1);
        int[] found = new int[1];
        double[] w = new double[d];
        double[] z = new double[d * m];
        int[] support = new int[2 * Math.max(1, m)];
        int info = openblas.LAPACKE_dsyevr(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'I', (byte) 'U', d, sym, d,
                0, 0, d - m + 1, d, 0, found, w, z, m, support);
        if (info != 0 || found[0] != m) {
            throw new HavException("t-SNE initialisation", "LAPACK dsyevr failed (info " + info + ", " + found[0]
                    + " of " + m + " eigenvectors)", "use --init random", HavException.EXIT_RUNTIME, null);
        }
        // dsyevr returns ascending eigenvalues: reverse the columns so column 0 is the largest
        double[] out = new double[d * m];
        for (int a = 0; a < m; a++) {
            int src = m - 1 - a;
            int argmax = 0;
            for (int r = 0; r < d; r++) {
                if (Math.abs(z[r * m + src]) > Math.abs(z[argmax * m + src])) {
                    argmax = r;
                }
            }
            double sign = z[argmax * m + src] < 0 ? -1 : 1;
            for (int r = 0; r < d; r++) {
                out[r * m + a] = sign * z[r * m + src];
            }
        }
        return out;
    }
}
