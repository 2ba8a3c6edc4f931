package org.hiddenactivity.projection;

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
 */
final class Initialisation {
    /** Standard deviation of the first coordinate of a PCA start, and of every coordinate of a random start. */
    static final double SCALE = 1e-4;

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
     * The data projected on its top {@code dims} principal axes, scaled to first-coordinate std 1e-4. Falls back to
     * {@link #random} (with a warning on stderr) when the data have no variance. Dimensions beyond the rank of the
     * data (D < dims) are filled with random N(0, SCALE^2) values so the optimiser can still move along them.
     */
    static double[] pca(FloatMatrix x, int dims, long seed, Workers workers) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += v[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        float[] centred = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                centred[i * d + c] = (float) (v[i * d + c] - mean[c]);
            }
        }
        // covariance (up to the factor 1/n, which does not change the eigenvectors) by SGEMM: C = Xc^T Xc, on one
        // thread because OpenBLAS's last bits depend on its thread count and the start must not
        float[] cov = new float[d * d];
        openblas.blas_set_num_threads(1);
        try (FloatPointer a = new FloatPointer(centred); FloatPointer c = new FloatPointer((long) d * d)) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans,
                    d, d, n, 1f, a, d, a, d, 0f, c, d);
            c.get(cov);
        }
        double[] sym = new double[d * d];
        for (int i = 0; i < sym.length; i++) {
            sym[i] = cov[i];
        }
        int m = Math.min(dims, d);
        double[] axes = topEigenvectors(sym, d, m);
        double[] y = new double[n * dims];
        workers.forChunks(n, 256, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                for (int a = 0; a < m; a++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += (double) centred[i * d + c] * axes[c * m + a];
                    }
                    y[i * dims + a] = s;
                }
            }
        });
        return scaled(y, n, dims, m, seed);
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
            System.err.println("hav: warning: the data have no variance along any axis; starting t-SNE from random points");
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
