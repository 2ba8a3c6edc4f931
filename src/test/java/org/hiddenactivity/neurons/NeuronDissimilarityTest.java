package org.hiddenactivity.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

class NeuronDissimilarityTest {
    @Test
    void correlatedAndAntiCorrelatedNeuronsAreAtZeroAndDeadOnesAreCounted() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 200;
        int m = 6;
        float[] a = new float[n * m];
        for (int i = 0; i < n; i++) {
            double u = rng.nextGaussian();
            double v = rng.nextGaussian();
            a[i * m] = (float) u;
            a[i * m + 1] = 0f; // dead
            a[i * m + 2] = (float) (3 * u + 1); // perfectly correlated with 0
            a[i * m + 3] = (float) (-2 * u); // anti-correlated with 0
            a[i * m + 4] = (float) v; // independent of 0
            a[i * m + 5] = 7f; // dead
        }
        NeuronDissimilarity d = NeuronDissimilarity.of(new FloatMatrix(n, m, a));
        assertArrayEquals(new int[] {0, 2, 3, 4}, d.live());
        assertArrayEquals(new int[] {1, 5}, d.dead());
        assertEquals(2, d.deadCount());
        assertEquals(4, d.size());
        assertArrayEquals(new double[] {10, 12, 13, 14}, d.liveValues(new double[] {10, 11, 12, 13, 14, 15}), 0.0);
        assertEquals(0.0, d.get(0, 1), 1e-6);
        assertEquals(0.0, d.get(0, 2), 1e-6);
        assertEquals(0.0, d.get(1, 2), 1e-6);
        assertTrue(d.get(0, 3) > 0.8, "independent neurons are far apart: " + d.get(0, 3));
        // Reference Pearson correlation computed directly.
        double mu = 0;
        double mv = 0;
        for (int i = 0; i < n; i++) {
            mu += a[i * m];
            mv += a[i * m + 4];
        }
        mu /= n;
        mv /= n;
        double suv = 0;
        double suu = 0;
        double svv = 0;
        for (int i = 0; i < n; i++) {
            double du = a[i * m] - mu;
            double dv = a[i * m + 4] - mv;
            suv += du * dv;
            suu += du * du;
            svv += dv * dv;
        }
        assertEquals(1 - Math.abs(suv / Math.sqrt(suu * svv)), d.get(0, 3), 1e-9);
        for (int i = 0; i < 4; i++) {
            assertEquals(0.0, d.get(i, i));
            for (int j = 0; j < 4; j++) {
                assertEquals(d.get(i, j), d.get(j, i));
            }
        }
    }

    @Test
    void allDeadGivesAnEmptyMatrix() {
        NeuronDissimilarity d = NeuronDissimilarity.of(new FloatMatrix(3, 2, new float[] {1, 2, 1, 2, 1, 2}));
        assertEquals(0, d.size());
        assertEquals(2, d.deadCount());
    }
}
