package org.hiddenactivity.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

class ClassSeparationTest {
    @Test
    void perClassHitIsTheBruteForceMeanOfEachClass() {
        Random r = new Random(2);
        int n = 400;
        float[] v = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            // class 0 and 1 overlap, class 2 stands apart
            v[2 * i] = (float) ((labels[i] == 2 ? 30 : labels[i] * 0.5) + r.nextGaussian());
            v[2 * i + 1] = (float) r.nextGaussian();
        }
        double[] hit = ClassSeparation.perClassHit(new FloatMatrix(n, 2, v), labels, 6, 4);
        double[] expected = new double[3];
        for (int i = 0; i < n; i++) {
            final int fi = i;
            Integer[] order = java.util.stream.IntStream.range(0, n).filter(j -> j != fi).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(order, (a, b) -> {
                float da = (v[2 * a] - v[2 * fi]) * (v[2 * a] - v[2 * fi]) + (v[2 * a + 1] - v[2 * fi + 1]) * (v[2 * a + 1] - v[2 * fi + 1]);
                float db = (v[2 * b] - v[2 * fi]) * (v[2 * b] - v[2 * fi]) + (v[2 * b + 1] - v[2 * fi + 1]) * (v[2 * b + 1] - v[2 * fi + 1]);
                return da != db ? Float.compare(da, db) : Integer.compare(a, b);
            });
            int same = 0;
            for (int e = 0; e < 6; e++) {
                same += labels[order[e]] == labels[i] ? 1 : 0;
            }
            expected[labels[i]] += same / 6.0;
        }
        int[] counts = new int[3];
        for (int l : labels) {
            counts[l]++;
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c] / counts[c], hit[c], 1e-9, "class " + c);
        }
        assertTrue(hit[2] > 0.99 && hit[0] < 0.9, java.util.Arrays.toString(hit));
        assertTrue(Double.isNaN(hit[3]), "a class without points");
    }
}
