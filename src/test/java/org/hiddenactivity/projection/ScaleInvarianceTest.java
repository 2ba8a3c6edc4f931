package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

/** The rescaling of {@link TsneInput} (issue 9): exact, idempotent, and P independent of the data's scale. */
class ScaleInvarianceTest {
    @Test
    void rescalingIsAnExactPowerOfTwoIntoOneToTwo() {
        FloatMatrix x = TestData.blobs(3, 20, 4, 1);
        FloatMatrix s = TsneInput.scaled(x);
        float max = 0;
        for (float v : s.data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max >= 1 && max < 2, "max " + max);
        double ratio = (double) s.data()[5] / x.data()[5];
        assertEquals(ratio, Math.scalb(1.0, Math.getExponent(ratio)), 0, "a power of two");
        for (int e = 0; e < x.data().length; e++) {
            assertEquals(x.data()[e] * ratio, s.data()[e], 0, "exact");
        }
        assertSame(s, TsneInput.scaled(s), "in [1, 2) already: used as it is");
        FloatMatrix zeros = FloatMatrix.zeros(5, 2);
        assertSame(zeros, TsneInput.scaled(zeros));
        // the extremes of float: subnormal and near-overflow data come back into range
        FloatMatrix subnormal = new FloatMatrix(2, 1, new float[] {Float.MIN_VALUE, -2 * Float.MIN_VALUE});
        assertArrayEquals(new float[] {0.5f, -1}, TsneInput.scaled(subnormal).data());
        FloatMatrix huge = new FloatMatrix(2, 1, new float[] {Float.MAX_VALUE, -Float.MAX_VALUE / 4});
        assertArrayEquals(new float[] {Math.scalb(Float.MAX_VALUE, -127), Math.scalb(-Float.MAX_VALUE / 4, -127)},
                TsneInput.scaled(huge).data());
    }

    @Test
    void pIsTheSameAtAnyScaleUpToTheInputsRounding() {
        FloatMatrix x = TestData.blobs(3, 50, 5, 11);
        try (Workers w = new Workers(2)) {
            double[] base = CpuTsne.affinities(TsneInput.scaled(x), 30, 90, w).dense();
            double max = 0;
            for (double v : base) {
                max = Math.max(max, v);
            }
            // 1e-38 makes most values subnormal (fewer mantissa bits), 5e36 brings the largest near float's maximum
            for (double scale : new double[] {1e-20, 1e30, 1e-38, 5e36}) {
                double[] p = CpuTsne.affinities(TsneInput.scaled(TsneBackendContract.times(x, scale)), 30, 90, w)
                        .dense();
                double worst = 0;
                for (int e = 0; e < p.length; e++) {
                    worst = Math.max(worst, Math.abs(p[e] - base[e]));
                }
                assertTrue(worst <= 1e-4 * max, "scale " + scale + ": P differs by " + worst + " of " + max);
            }
        }
    }
}
