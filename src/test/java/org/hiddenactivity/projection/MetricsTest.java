package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void identityEmbeddingIsPerfect() {
        FloatMatrix x = TestData.gaussian(200, 2, 1);
        assertEquals(1.0, Metrics.trustworthiness(x, x, 12, 2), 1e-12);
        assertEquals(1.0, Metrics.knnPreservation(x, x, 12, 2), 1e-12);
    }

    @Test
    void trustworthinessOfAHandComputedCase() {
        // points on a line at 0 1 3 6 10 15; the embedding swaps points 1 and 4. With k = 1 the low-dim nearest
        // neighbours are 4, 3, 4, 2, 0, 1 with data ranks 4, 3, 4, 1, 5, 4: penalty 3+2+3+0+4+3 = 15,
        // T = 1 - 15 * 2 / (6 * 1 * (12 - 3 - 1)) = 0.375 (sklearn.manifold.trustworthiness gives 0.375 too)
        FloatMatrix x = FloatMatrix.of(new float[][] {{0}, {1}, {3}, {6}, {10}, {15}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{0}, {10}, {3}, {6}, {1}, {15}});
        assertEquals(0.375, Metrics.trustworthiness(x, y, 1, 1), 1e-12);
        // 1-NN preservation: data neighbours 1 0 1 2 3 4, low-dim 4 3 4 2 0 1: only point 3 keeps its neighbour
        assertEquals(1.0 / 6, Metrics.knnPreservation(x, y, 1, 1), 1e-12);
    }

    @Test
    void neighbourhoodHitOfAHandComputedCase() {
        // two pairs far apart; labels: pair A = {0, 0}, pair B = {1, 0}. With k = 1: points 0, 1 hit; 2 and 3 miss
        FloatMatrix y = FloatMatrix.of(new float[][] {{0, 0}, {0, 1}, {10, 0}, {10, 1}});
        assertEquals(0.5, Metrics.neighbourhoodHit(y, new int[] {0, 0, 1, 0}, 1, 1), 1e-12);
        assertEquals(1.0, Metrics.neighbourhoodHit(y, new int[] {0, 0, 1, 1}, 1, 1), 1e-12);
    }

    @Test
    void scrambledEmbeddingScoresLow() {
        FloatMatrix x = TestData.gaussian(300, 10, 2);
        FloatMatrix noise = TestData.gaussian(300, 2, 3);
        double t = Metrics.trustworthiness(x, noise, 12, 2);
        assertTrue(t < 0.6 && t > 0.4, "trustworthiness of noise " + t);
        assertTrue(Metrics.knnPreservation(x, noise, 12, 2) < 0.1);
    }

    @Test
    void klMetricMatchesTheExactReference() {
        FloatMatrix x = TestData.blobs(3, 50, 4, 4);
        FloatMatrix y = TestData.gaussian(150, 2, 5);
        try (Workers w = new Workers(2)) {
            Affinities p = CpuTsne.affinities(x, 20, 60, w);
            double reference = ExactGradient.klDivergence(p, Metrics.toDouble(y), 2, w);
            assertEquals(reference, Metrics.klDivergence(x, y, 20, 2), 1e-9);
            // KL from a dense P and Q written out directly
            double[] dp = p.dense();
            double z = 0;
            for (int i = 0; i < 150; i++) {
                for (int j = 0; j < 150; j++) {
                    if (i != j) {
                        z += 1 / (1 + sq(y, i, j));
                    }
                }
            }
            double kl = 0;
            for (int i = 0; i < 150; i++) {
                for (int j = 0; j < 150; j++) {
                    double pij = dp[i * 150 + j];
                    if (pij > 0) {
                        kl += pij * Math.log(pij / (1 / (1 + sq(y, i, j)) / z));
                    }
                }
            }
            assertEquals(kl, reference, 1e-6 * kl);
        }
        Metrics.Report r = Metrics.evaluate(x, y, TestData.blobLabels(3, 50), 20, 2);
        assertTrue(r.klExact());
        assertTrue(r.neighbourhoodHit() >= 0 && r.neighbourhoodHit() <= 1);
    }

    @Test
    void mismatchedInputsAreClearErrors() {
        FloatMatrix x = TestData.gaussian(30, 3, 1);
        assertThrows(HavException.class, () -> Metrics.trustworthiness(x, TestData.gaussian(29, 2, 1), 12, 1));
        assertThrows(HavException.class, () -> Metrics.neighbourhoodHit(x, new int[3], 6, 1));
        assertThrows(HavException.class, () -> Metrics.trustworthiness(x, x, 25, 1));
    }

    private static double sq(FloatMatrix y, int i, int j) {
        double a = y.get(i, 0) - y.get(j, 0);
        double b = y.get(i, 1) - y.get(j, 1);
        return a * a + b * b;
    }
}
