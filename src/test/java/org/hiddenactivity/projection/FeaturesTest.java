package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    @Test
    void zscoreGivesZeroMeanUnitStdAndZeroForConstantColumns() {
        FloatMatrix x = TestData.gaussian(100, 3, 1);
        for (int i = 0; i < 100; i++) {
            x.set(i, 0, x.get(i, 0) * 5 + 7);
            x.set(i, 2, 0.1f);
        }
        float[] before = x.data().clone();
        FloatMatrix z = Features.zscore(x);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < 100; i++) {
                mean += z.get(i, c);
                sq += z.get(i, c) * z.get(i, c);
            }
            assertEquals(0, mean / 100, 1e-5);
            assertEquals(1, sq / 100, 1e-4);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(0f, z.get(i, 2));
        }
        assertTrue(java.util.Arrays.equals(before, x.data()), "input modified");
    }

    @Test
    void backendSelection() {
        assertEquals("cpu", TsneBackends.select("cpu", 1).name());
        String whyNot = org.hiddenactivity.projection.cuda.CudaBackends.unavailableReason();
        if (whyNot.isEmpty()) {
            assertEquals("cuda", TsneBackends.select("auto", 1).name());
            assertEquals("cuda", TsneBackends.select("cuda", 1).name());
        } else {
            assertEquals("cpu", TsneBackends.select("auto", 1).name());
            HavException e = assertThrows(HavException.class, () -> TsneBackends.select("cuda", 1));
            assertTrue(e.getMessage().contains(whyNot), e.getMessage());
            assertEquals(HavException.EXIT_RUNTIME, e.exitCode());
        }
        assertThrows(HavException.class, () -> TsneBackends.select("gpu", 1));
    }
}
