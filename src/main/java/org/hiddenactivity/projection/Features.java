package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/** Feature scaling applied before every projection in the analyses (docs/design.md). */
public final class Features {
    private Features() {}

    /**
     * Per-column z-score: (x - mean) / std with the population std (ddof = 0, as scikit-learn's StandardScaler).
     * A column whose values are all equal becomes 0 (tested by min == max, not by a variance that rounding can make
     * tiny but non-zero). Returns a new matrix; the input is not modified.
     */
    public static FloatMatrix zscore(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        float[] out = new float[v.length];
        for (int c = 0; c < d; c++) {
            double mean = 0;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float t = v[i * d + c];
                mean += t;
                min = Math.min(min, t);
                max = Math.max(max, t);
            }
            if (n == 0 || min == max) {
                continue;
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double t = v[i * d + c] - mean;
                var += t * t;
            }
            double std = Math.sqrt(var / n);
            for (int i = 0; i < n; i++) {
                out[i * d + c] = (float) ((v[i * d + c] - mean) / std);
            }
        }
        return new FloatMatrix(n, d, out);
    }
}
