package org.hiddenactivity.analysis;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.Metrics;

/** Neighbourhood hit per class in 2-D: which classes a projection separates and which it mixes. */
final class ClassSeparation {
    private ClassSeparation() {}

    /**
     * For each class, the mean over its points of the fraction of their {@code k} nearest 2-D neighbours that share
     * their class ({@link Metrics#neighbourhoodHitPerPoint}, exact; k lowered to n - 1 for tiny projections); NaN for
     * a class without points.
     */
    static double[] perClassHit(FloatMatrix points, int[] labels, int k, int classes) {
        int n = points.rows();
        int kk = Math.min(k, n - 1);
        double[] hits = kk < 1 ? new double[n] : Metrics.neighbourhoodHitPerPoint(points, labels, kk, 0);
        if (kk < 1) {
            java.util.Arrays.fill(hits, 1.0);
        }
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0 && labels[i] < classes) {
                sum[labels[i]] += hits[i];
                count[labels[i]]++;
            }
        }
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
        }
        return out;
    }
}
