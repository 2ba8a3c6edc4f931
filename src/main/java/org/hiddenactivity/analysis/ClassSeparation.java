package org.hiddenactivity.analysis;

import org.hiddenactivity.core.FloatMatrix;

/** Neighbourhood hit per class in 2-D: which classes a projection separates and which it mixes. */
final class ClassSeparation {
    private ClassSeparation() {}

    /**
     * For each class, the mean over its points of the fraction of their {@code k} nearest 2-D neighbours
     * (brute force; projections have at most tens of thousands of points) that share their class.
     */
    static double[] perClassHit(FloatMatrix points, int[] labels, int k, int classes) {
        int n = points.rows();
        int kk = Math.min(k, n - 1);
        double[] sum = new double[classes];
        int[] count = new int[classes];
        float[] y = points.data();
        int d = points.cols();
        double[] hits = new double[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            double[] bestDist = new double[kk];
            int[] bestIdx = new int[kk];
            java.util.Arrays.fill(bestDist, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double dist = 0;
                for (int c = 0; c < d; c++) {
                    double diff = y[i * d + c] - y[j * d + c];
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
            int same = 0;
            for (int m = 0; m < kk; m++) {
                if (labels[bestIdx[m]] == labels[i]) {
                    same++;
                }
            }
            hits[i] = kk == 0 ? 1.0 : same / (double) kk;
        });
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
