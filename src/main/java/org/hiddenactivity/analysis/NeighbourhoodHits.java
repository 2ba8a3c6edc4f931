package org.hiddenactivity.analysis;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.Metrics;

/**
 * Each observation's neighbourhood hit in a projection, the values the findings bootstrap: the fraction of its k
 * nearest neighbours that share its class ({@link Metrics#neighbourhoodHitPerPoint}: exact, ties to the smaller
 * index), with k lowered to n - 1 for tiny projections (0 for a single point).
 */
final class NeighbourhoodHits {
    private NeighbourhoodHits() {}

    static double[] perObservation(FloatMatrix points, int[] labels, int k) {
        int kk = Math.min(k, points.rows() - 1);
        return kk < 1 ? new double[points.rows()] : Metrics.neighbourhoodHitPerPoint(points, labels, kk, 0);
    }
}
