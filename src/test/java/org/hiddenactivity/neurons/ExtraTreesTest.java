package org.hiddenactivity.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

class ExtraTreesTest {
    /** 400 x 20 noise; column 7 carries the class (plus noise), column 3 is constant. */
    private static FloatMatrix data(int[] y, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = y.length;
        int f = 20;
        float[] a = new float[n * f];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < f; j++) {
                a[i * f + j] = (float) rng.nextGaussian();
            }
            a[i * f + 7] = (float) (2.0 * y[i] + 0.3 * rng.nextGaussian());
            a[i * f + 3] = 5f;
        }
        return new FloatMatrix(n, f, a);
    }

    @Test
    void informativeFeatureRanksFirstAndImportancesSumToOne() {
        int[] y = new int[400];
        FloatMatrix x = data(y, 1);
        double[] imp = ExtraTrees.importances(x, y, 50, 0, 2);
        int best = 0;
        double sum = 0;
        for (int j = 0; j < imp.length; j++) {
            sum += imp[j];
            if (imp[j] > imp[best]) {
                best = j;
            }
            assertTrue(imp[j] >= 0);
        }
        assertEquals(7, best);
        assertEquals(1.0, sum, 1e-9);
        assertEquals(0.0, imp[3], "a constant column can never split");
        assertTrue(imp[7] > 5 * imp[0], "informative column should dominate noise: " + imp[7] + " vs " + imp[0]);
    }

    @Test
    void deterministicForASeedAndIndependentOfThreads() {
        int[] y = new int[300];
        FloatMatrix x = data(y, 2);
        double[] one = ExtraTrees.importances(x, y, 20, 42, 1);
        double[] again = ExtraTrees.importances(x, y, 20, 42, 1);
        double[] three = ExtraTrees.importances(x, y, 20, 42, 3);
        double[] other = ExtraTrees.importances(x, y, 20, 43, 1);
        assertArrayEquals(one, again, 0.0);
        assertArrayEquals(one, three, 0.0);
        boolean differs = false;
        for (int j = 0; j < one.length; j++) {
            differs |= one[j] != other[j];
        }
        assertTrue(differs, "another seed must give other trees");
    }

    @Test
    void oneVsRestFindsTheFeatureOfEachClass() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 600;
        int f = 12;
        int[] y = new int[n];
        float[] a = new float[n * f];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < f; j++) {
                a[i * f + j] = (float) rng.nextGaussian();
            }
            // Column c + 1 is high exactly for class c.
            a[i * f + y[i] + 1] += 4f;
        }
        double[][] imp = ExtraTrees.oneVsRest(new FloatMatrix(n, f, a), y, 3, 30, 0, 2);
        assertEquals(3, imp.length);
        for (int c = 0; c < 3; c++) {
            int best = 0;
            double sum = 0;
            for (int j = 0; j < f; j++) {
                sum += imp[c][j];
                if (imp[c][j] > imp[c][best]) {
                    best = j;
                }
            }
            assertEquals(c + 1, best, "class " + c);
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @Test
    void singleClassGivesZerosAndBadLabelsAreRejected() {
        FloatMatrix x = new FloatMatrix(3, 2, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new double[] {0, 0}, ExtraTrees.importances(x, new int[] {1, 1, 1}, 5, 0, 1), 0.0);
        assertThrows(HavException.class, () -> ExtraTrees.importances(x, new int[] {0, 1}, 5, 0, 1));
        assertThrows(HavException.class, () -> ExtraTrees.importances(x, new int[] {0, -1, 1}, 5, 0, 1));
        assertThrows(HavException.class, () -> ExtraTrees.oneVsRest(x, new int[] {0, 1, 2}, 2, 5, 0, 1));
    }
}
