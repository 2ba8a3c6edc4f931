package org.hiddenactivity.projection;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;

/** Small synthetic inputs generated from a seed (tests ship no data files). */
final class TestData {
    private TestData() {}

    /** {@code clusters} isotropic Gaussian blobs (std 1) in {@code dims} dimensions, centres 20 apart on axes. */
    static FloatMatrix blobs(int clusters, int perCluster, int dims, long seed) {
        Random r = new Random(seed);
        int n = clusters * perCluster;
        float[] v = new float[n * dims];
        for (int i = 0; i < n; i++) {
            int c = i % clusters;
            for (int a = 0; a < dims; a++) {
                v[i * dims + a] = (float) (r.nextGaussian() + (a == c % dims ? 20.0 * (1 + c / dims) : 0));
            }
        }
        return new FloatMatrix(n, dims, v);
    }

    /** The cluster of every row of {@link #blobs}. */
    static int[] blobLabels(int clusters, int perCluster) {
        int[] y = new int[clusters * perCluster];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % clusters;
        }
        return y;
    }

    /** Standard normal matrix. */
    static FloatMatrix gaussian(int n, int dims, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * dims];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(n, dims, v);
    }

    static boolean allFinite(FloatMatrix m) {
        return m.firstNonFinite() < 0;
    }
}
