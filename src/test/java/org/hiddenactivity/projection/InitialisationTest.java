package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

/** The shared PCA start (randomized subspace iteration) against exact PCA. */
class InitialisationTest {
    /** n x d: a rank-4 signal with strengths 3, 2.5, 2, 1.5 along random axes, plus N(0, 1) noise and an offset. */
    static FloatMatrix lowRankPlusNoise(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] strength = {3, 2.5, 2, 1.5};
        double[][] axes = new double[strength.length][d];
        for (double[] a : axes) {
            for (int j = 0; j < d; j++) {
                a[j] = r.nextGaussian() / Math.sqrt(d);
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (2 + r.nextGaussian());
            }
            for (int s = 0; s < strength.length; s++) {
                double t = strength[s] * r.nextGaussian();
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += (float) (t * axes[s][j]);
                }
            }
        }
        return new FloatMatrix(n, d, x);
    }

    /** The former exact method: full covariance in double, its top eigenvectors, projection, same scaling. */
    static double[] exactPca(FloatMatrix x, int dims) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x.get(i, c) / n;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double xa = x.get(i, a) - mean[a];
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += xa * (x.get(i, b) - mean[b]);
                }
            }
        }
        double[] axes = Initialisation.topEigenvectors(cov, d, dims);
        double[] y = new double[n * dims];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dims; k++) {
                for (int c = 0; c < d; c++) {
                    y[i * dims + k] += (x.get(i, c) - mean[c]) * axes[c * dims + k];
                }
            }
        }
        double std = Math.sqrt(column(y, dims, 0, y) / n);
        for (int i = 0; i < y.length; i++) {
            y[i] *= 1e-4 / std;
        }
        return y;
    }

    /** Sum of products of centred column k of a and b (both n x dims). */
    private static double column(double[] a, int dims, int k, double[] b) {
        int n = a.length / dims;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i * dims + k];
            mb += b[i * dims + k];
        }
        ma /= n;
        mb /= n;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (a[i * dims + k] - ma) * (b[i * dims + k] - mb);
        }
        return s;
    }

    private static double correlation(double[] a, double[] b, int dims, int k) {
        return column(a, dims, k, b) / Math.sqrt(column(a, dims, k, a) * column(b, dims, k, b));
    }

    private static double[] toDouble(FloatMatrix m) {
        double[] out = new double[m.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.data()[i];
        }
        return out;
    }

    private static void assertMatchesExact(FloatMatrix x, double maxDifference) {
        double[] exact = exactPca(x, 2);
        double[] fast = toDouble(Initialisation.pcaStart(x, 2, 0, 2));
        for (int k = 0; k < 2; k++) {
            // same signs too: both fix the largest loading positive
            double r = correlation(exact, fast, 2, k);
            assertTrue(r > 0.999, "component " + k + " correlation with exact PCA " + r);
        }
        double std = Math.sqrt(column(fast, 2, 0, fast) / x.rows());
        assertEquals(1e-4, std, 1e-4 * 1e-5, "first component std");
        double worst = 0;
        for (int i = 0; i < fast.length; i++) {
            worst = Math.max(worst, Math.abs(fast[i] - exact[i]));
        }
        assertTrue(worst < maxDifference * 1e-4, "largest difference from exact PCA " + worst);
    }

    @Test
    void matchesExactPcaOnLowRankPlusNoise() {
        assertMatchesExact(lowRankPlusNoise(2500, 80, 1), 0.05);
    }

    @Test
    void matchesExactPcaWhenTheAxesComeFromASample() {
        int n = Initialisation.SAMPLE_ROWS + 2500;
        // the axes of a sample differ a little from those of all rows
        assertMatchesExact(lowRankPlusNoise(n, 12, 2), 0.1);
    }

    @Test
    void sameSeedSamePointsForAnyThreadCount() {
        FloatMatrix x = lowRankPlusNoise(3 * Initialisation.BLOCK_ROWS + 17, 40, 3);
        FloatMatrix one = Initialisation.pcaStart(x, 2, 5, 1);
        FloatMatrix two = Initialisation.pcaStart(x, 2, 5, 2);
        assertArrayEquals(one.data(), two.data());
        try (Workers w = new Workers(2)) {
            double[] cpu = Initialisation.pca(x, 2, 5, w);
            for (int i = 0; i < cpu.length; i++) {
                assertEquals((float) cpu[i], one.data()[i], 0, "the CPU engine's start is pcaStart's");
            }
        }
        // another seed only changes the random directions iteration starts from, not the converged axes
        double[] other = toDouble(Initialisation.pcaStart(x, 2, 6, 1));
        assertTrue(correlation(other, toDouble(one), 2, 0) > 0.9999);
    }

    @Test
    void firstComponentFollowsTheMainAxisWithStd1e4() {
        Random r = new Random(5);
        int n = 500;
        int d = 30;
        double[] axis = new double[d];
        for (int j = 0; j < d; j++) {
            axis[j] = r.nextGaussian();
        }
        double norm = Math.sqrt(java.util.Arrays.stream(axis).map(v -> v * v).sum());
        float[] x = new float[n * d];
        double[] t = new double[2 * n];
        for (int i = 0; i < n; i++) {
            t[2 * i] = 10 * r.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (3 + t[2 * i] * axis[j] / norm + 0.3 * r.nextGaussian());
            }
        }
        double[] y = toDouble(Initialisation.pcaStart(new FloatMatrix(n, d, x), 2, 0, 1));
        assertTrue(Math.abs(correlation(y, t, 2, 0)) > 0.99, "first component follows the axis");
        assertEquals(1e-4, Math.sqrt(column(y, 2, 0, y) / n), 1e-9);
        assertTrue(column(y, 2, 1, y) < column(y, 2, 0, y), "largest variance first");
    }

    @Test
    void degenerateInputsGiveFinitePoints() {
        // fewer rows than directions (rank 2), one column (second coordinate is noise), constant data (random start)
        FloatMatrix few = new FloatMatrix(3, 50, TestData.gaussian(3, 50, 1).data());
        FloatMatrix oneColumn = TestData.gaussian(40, 1, 2);
        FloatMatrix constant = new FloatMatrix(20, 5, new float[100]);
        for (FloatMatrix x : new FloatMatrix[] {few, oneColumn, constant}) {
            FloatMatrix y = Initialisation.pcaStart(x, 2, 0, 2);
            assertEquals(x.rows(), y.rows());
            assertEquals(2, y.cols());
            assertTrue(TestData.allFinite(y));
            if (x != constant) {
                double[] yd = toDouble(y);
                assertEquals(1e-4, Math.sqrt(column(yd, 2, 0, yd) / x.rows()), 1e-9);
            }
        }
        double[] c = toDouble(Initialisation.pcaStart(constant, 2, 0, 1));
        assertArrayEquals(Initialisation.random(20, 2, 0), c, 1e-10, "constant data: the random start");
    }
}
