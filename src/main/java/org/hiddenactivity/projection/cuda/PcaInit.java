package org.hiddenactivity.projection.cuda;

import java.util.Random;
import java.util.stream.IntStream;
import org.hiddenactivity.core.FloatMatrix;

/**
 * PCA initialisation of t-SNE (scikit-learn's: project on the leading principal components, then scale so the
 * first has standard deviation {@code std}). Written here because the top 2 components of an N x D matrix need
 * only a few products with it: block subspace iteration with Rayleigh-Ritz, parallel over rows, no D x D matrix.
 * Signs are fixed (largest loading positive) so the result is deterministic. Above {@link #SAMPLE_ROWS} rows the
 * axes come from an evenly spaced sample (the mean from all rows), which keeps a 70000 x 784 start under 0.1 s.
 */
final class PcaInit {
    private static final int OVERSAMPLE = 4;
    private static final int ITERATIONS = 6;
    /** The axes are fitted on at most this many rows (evenly spaced); every row is then projected. */
    static final int SAMPLE_ROWS = 5000;

    private PcaInit() {}

    static FloatMatrix compute(FloatMatrix x, int components, double std, long seed) {
        int n = x.rows();
        int d = x.cols();
        int b = Math.min(d, components + OVERSAMPLE);
        double[] mean = new double[d];
        float[] a = x.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += a[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        int[] rows = new int[Math.min(n, SAMPLE_ROWS)];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = (int) ((long) r * n / rows.length);
        }
        Random random = new Random(seed);
        double[][] v = new double[b][d];  // basis vectors as rows
        for (double[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian();
            }
        }
        orthonormalise(v);
        for (int it = 0; it < ITERATIONS; it++) {
            v = covarianceTimes(a, rows, d, mean, v);
            orthonormalise(v);
        }
        // Rayleigh-Ritz: eigenvectors of the small b x b matrix V^T C V.
        double[][] cv = covarianceTimes(a, rows, d, mean, v);
        double[][] s = new double[b][b];
        for (int p = 0; p < b; p++) {
            for (int q = 0; q < b; q++) {
                s[p][q] = dot(v[p], cv[q]);
            }
        }
        double[][] vecs = new double[b][b];
        double[] vals = jacobi(s, vecs);
        Integer[] orderIdx = new Integer[b];
        for (int i = 0; i < b; i++) {
            orderIdx[i] = i;
        }
        java.util.Arrays.sort(orderIdx, (p, q) -> Double.compare(vals[q], vals[p]));
        int c = Math.min(components, b);
        double[][] axes = new double[components][d];
        for (int k = 0; k < c; k++) {
            int col = orderIdx[k];
            for (int p = 0; p < b; p++) {
                for (int j = 0; j < d; j++) {
                    axes[k][j] += vecs[p][col] * v[p][j];
                }
            }
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(axes[k][j]) > Math.abs(axes[k][arg])) {
                    arg = j;
                }
            }
            if (axes[k][arg] < 0) {
                for (int j = 0; j < d; j++) {
                    axes[k][j] = -axes[k][j];
                }
            }
        }
        float[] y = new float[n * components];
        double[] offset = new double[components];
        for (int k = 0; k < components; k++) {
            offset[k] = dot(mean, axes[k]);
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int k = 0; k < components; k++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    sum += a[i * d + j] * axes[k][j];
                }
                y[i * components + k] = (float) (sum - offset[k]);
            }
        });
        double sd = 0;
        double m0 = 0;
        for (int i = 0; i < n; i++) {
            m0 += y[i * components];
        }
        m0 /= n;
        for (int i = 0; i < n; i++) {
            double t = y[i * components] - m0;
            sd += t * t;
        }
        sd = Math.sqrt(sd / n);
        double scale = sd > 0 ? std / sd : 0;  // constant data: every point at the origin
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (y[i] * scale);
        }
        return new FloatMatrix(n, components, y);
    }

    /** Rows of the result are (X - mean)^T (X - mean) v_p for each row v_p of v (the 1/n factor does not matter). */
    private static double[][] covarianceTimes(float[] a, int[] rows, int d, double[] mean, double[][] v) {
        int n = rows.length;
        int b = v.length;
        double[] vm = new double[b];
        for (int p = 0; p < b; p++) {
            vm[p] = dot(mean, v[p]);
        }
        int chunks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 4));
        double[][][] partial = new double[chunks][][];
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[][] acc = new double[b][d];
            double[] w = new double[b];
            int from = (int) ((long) n * ch / chunks);
            int to = (int) ((long) n * (ch + 1) / chunks);
            for (int r = from; r < to; r++) {
                int base = rows[r] * d;
                for (int p = 0; p < b; p++) {
                    double sum = 0;
                    double[] vp = v[p];
                    for (int j = 0; j < d; j++) {
                        sum += a[base + j] * vp[j];
                    }
                    w[p] = sum - vm[p];
                }
                for (int p = 0; p < b; p++) {
                    double wp = w[p];
                    double[] ap = acc[p];
                    for (int j = 0; j < d; j++) {
                        ap[j] += (a[base + j] - mean[j]) * wp;
                    }
                }
            }
            partial[ch] = acc;
        });
        double[][] out = new double[b][d];
        for (double[][] acc : partial) {
            for (int p = 0; p < b; p++) {
                for (int j = 0; j < d; j++) {
                    out[p][j] += acc[p][j];
                }
            }
        }
        return out;
    }

    private static void orthonormalise(double[][] v) {
        for (int p = 0; p < v.length; p++) {
            for (int q = 0; q < p; q++) {
                double r = dot(v[p], v[q]);
                for (int j = 0; j < v[p].length; j++) {
                    v[p][j] -= r * v[q][j];
                }
            }
            double norm = Math.sqrt(dot(v[p], v[p]));
            for (int j = 0; j < v[p].length; j++) {
                v[p][j] = norm > 1e-300 ? v[p][j] / norm : 0;
            }
        }
    }

    private static double dot(double[] u, double[] w) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += u[j] * w[j];
        }
        return s;
    }

    /** Eigenvalues of the small symmetric matrix s (destroyed); eigenvectors as columns of vecs. */
    private static double[] jacobi(double[][] s, double[][] vecs) {
        int b = s.length;
        for (int i = 0; i < b; i++) {
            vecs[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < b; p++) {
                for (int q = p + 1; q < b; q++) {
                    off += s[p][q] * s[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < b; p++) {
                for (int q = p + 1; q < b; q++) {
                    if (Math.abs(s[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cos = 1 / Math.sqrt(t * t + 1);
                    double sin = t * cos;
                    for (int k = 0; k < b; k++) {
                        double skp = s[k][p];
                        double skq = s[k][q];
                        s[k][p] = cos * skp - sin * skq;
                        s[k][q] = sin * skp + cos * skq;
                    }
                    for (int k = 0; k < b; k++) {
                        double spk = s[p][k];
                        double sqk = s[q][k];
                        s[p][k] = cos * spk - sin * sqk;
                        s[q][k] = sin * spk + cos * sqk;
                    }
                    for (int k = 0; k < b; k++) {
                        double vkp = vecs[k][p];
                        double vkq = vecs[k][q];
                        vecs[k][p] = cos * vkp - sin * vkq;
                        vecs[k][q] = sin * vkp + cos * vkq;
                    }
                }
            }
        }
        double[] vals = new double[b];
        for (int i = 0; i < b; i++) {
            vals[i] = s[i][i];
        }
        return vals;
    }
}
