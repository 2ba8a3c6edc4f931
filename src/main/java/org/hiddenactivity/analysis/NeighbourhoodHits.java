package org.hiddenactivity.analysis;

import java.util.stream.IntStream;
import org.hiddenactivity.core.FloatMatrix;

/**
 * Each observation's neighbourhood hit in a 2-D projection: the fraction of its k nearest neighbours (Euclidean,
 * itself excluded, ties to the smaller index as {@code projection.Metrics} breaks them) that share its class.
 * Written here because the metrics stage returns only the mean, and the findings bootstrap the individual values.
 */
final class NeighbourhoodHits {
    private NeighbourhoodHits() {}

    /** Brute force, O(n^2) per projection: exact, and a few milliseconds for the report's thousands of points. */
    static double[] perObservation(FloatMatrix points, int[] labels, int k) {
        int n = points.rows();
        int kk = Math.min(k, n - 1);
        double[] out = new double[n];
        if (kk < 1) {
            return out;
        }
        float[] y = points.data();
        int d = points.cols();
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] bestDist = new float[kk];
            int[] bestIdx = new int[kk];
            java.util.Arrays.fill(bestDist, Float.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                float dist = 0;
                for (int c = 0; c < d; c++) {
                    float diff = y[i * d + c] - y[j * d + c];
                    dist += diff * diff;
                }
                if (dist < bestDist[kk - 1]) {
                    int pos = kk - 1;
                    while (pos > 0 && bestDist[pos - 1] > dist) {
                        bestDist[pos] = bestDist[pos - 1];
                        bestIdx[pos] = bestIdx[pos - 1];
                        pos--;
                    }
                    bestDist[pos] = dist;
                    bestIdx[pos] = j;
                }
            }
            int hits = 0;
            for (int e = 0; e < kk; e++) {
                if (labels[bestIdx[e]] == labels[i]) {
                    hits++;
                }
            }
            out[i] = (double) hits / kk;
        });
        return out;
    }
}
