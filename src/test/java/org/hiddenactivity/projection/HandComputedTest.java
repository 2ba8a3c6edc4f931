package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cases whose expected values are worked out by hand (or by definition), not read from the code under test. */
class HandComputedTest {
    /**
     * Three points y1 = (0, 0), y2 = (1, 0), y3 = (0, 2); p12 = 0.3, p13 = p23 = 0.1 (each stored both ways).
     * w = 1 / (1 + d^2): w12 = 1/2, w13 = 1/5, w23 = 1/6; Z = 2 (1/2 + 1/5 + 1/6) = 26/15; q12 = 15/52, q13 = 3/26.
     * dC/dy1 = 4 sum_j (p1j - q1j) w1j (y1 - yj) = 4 [(3/10 - 15/52)(1/2)(-1, 0) + (1/10 - 3/26)(1/5)(0, -2)]
     * = (-3/130, 8/325).
     */
    private static Affinities threePoints() {
        return new Affinities(3, new int[] {0, 2, 4, 6}, new int[] {1, 2, 0, 2, 0, 1},
                new float[] {0.3f, 0.1f, 0.3f, 0.1f, 0.1f, 0.1f});
    }

    private static final double[] Y = {0, 0, 1, 0, 0, 2};

    @Test
    void exactGradientOfThreePoints() {
        double[] grad = new double[6];
        try (Workers w = new Workers(2)) {
            new ExactGradient(threePoints(), 2, w).compute(Y, 1, false, grad);
        }
        assertEquals(-3.0 / 130, grad[0], 1e-7);
        assertEquals(8.0 / 325, grad[1], 1e-7);
        // the forces are internal: they sum to zero
        assertEquals(0, grad[0] + grad[2] + grad[4], 1e-7);
        assertEquals(0, grad[1] + grad[3] + grad[5], 1e-7);
    }

    @Test
    void barnesHutGradientOfThreePointsWithATinyAngle() {
        double[] grad = new double[6];
        try (Workers w = new Workers(2)) {
            new BarnesHutGradient(threePoints(), 1e-3, w).compute(Y, 1, false, grad);
        }
        assertEquals(-3.0 / 130, grad[0], 1e-6);
        assertEquals(8.0 / 325, grad[1], 1e-6);
    }

    @Test
    void exaggerationMultipliesOnlyTheAttraction() {
        // with P x 2: attraction doubles, repulsion stays: dC/dy1 = 4 [2 sum p1j w1j (y1 - yj) - sum q1j w1j (y1 - yj)]
        double[] grad = new double[6];
        try (Workers w = new Workers(1)) {
            new ExactGradient(threePoints(), 2, w).compute(Y, 2, false, grad);
        }
        double attrX = 0.3 * 0.5 * -1;
        double repX = 15.0 / 52 * 0.5 * -1;
        assertEquals(4 * (2 * attrX - repX), grad[0], 1e-7);
    }

    /**
     * scikit-learn's test_binary_search_underflow, made harder: squared distances near 10^4, where exp(-d) underflows
     * to 0 even in double unless the row's smallest distance is subtracted first. The answer is the definition:
     * the conditional distribution found has perplexity 2^H = the one asked for.
     */
    @Test
    void perplexitySearchSurvivesUnderflow() {
        Random r = new Random(42);
        int k = 90;
        float[] sq = new float[k];
        for (int e = 0; e < k; e++) {
            sq[e] = (float) (r.nextGaussian() + 10_000);
        }
        java.util.Arrays.sort(sq);
        double[] p = new double[k];
        Affinities.conditionalRow(sq, 0, k, 30, p);
        double sum = 0;
        double entropyBits = 0;
        for (double v : p) {
            assertTrue(Double.isFinite(v), "finite probabilities");
            sum += v;
            if (v > 0) {
                entropyBits -= v * Math.log(v) / Math.log(2);
            }
        }
        assertEquals(1, sum, 1e-9);
        assertEquals(30, Math.pow(2, entropyBits), 1e-3);
    }
}
