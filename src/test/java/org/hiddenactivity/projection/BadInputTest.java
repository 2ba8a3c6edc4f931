package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

/** CPU-only input cases; the ones every backend shares are in {@link TsneBackendContract}. */
class BadInputTest {
    private static final TsneParameters P = TsneParameters.defaults().withMaxIter(300).withThreads(2);

    @Test
    void duplicatePointsDoNotProduceNaN() {
        FloatMatrix x = TestData.gaussian(150, 5, 3);
        for (int i = 0; i < 100; i++) {
            for (int c = 0; c < 5; c++) {
                x.set(i, c, x.get(0, c));
            }
        }
        Embedding e = new CpuTsne().embed(x, P, null, Progress.NONE);
        assertTrue(TestData.allFinite(e.points()));
        assertTrue(Double.isFinite(e.klDivergence()));
        // all points identical: P is uniform over neighbours, PCA has no axis (random start), still finite
        Embedding same = new CpuTsne().embed(FloatMatrix.zeros(120, 4), P, null, Progress.NONE);
        assertTrue(TestData.allFinite(same.points()));
    }

    @Test
    void constantColumnsAndOneColumnWork() {
        FloatMatrix x = TestData.blobs(2, 60, 4, 4);
        FloatMatrix wide = new FloatMatrix(120, 6, new float[720]);
        for (int i = 0; i < 120; i++) {
            for (int c = 0; c < 4; c++) {
                wide.set(i, c, x.get(i, c));
            }
            wide.set(i, 4, 3.5f);
        }
        FloatMatrix z = Features.zscore(wide);
        Embedding e = new CpuTsne().embed(z, P, null, Progress.NONE);
        assertTrue(TestData.allFinite(e.points()));
        Embedding one = new CpuTsne().embed(TestData.gaussian(100, 1, 5), P, null, Progress.NONE);
        assertTrue(TestData.allFinite(one.points()));
    }

    @Test
    void badInitialPointsAndDissimilaritiesAreClearErrors() {
        FloatMatrix x = TestData.gaussian(50, 3, 6);
        assertThrows(HavException.class,
                () -> new CpuTsne().embed(x, P, FloatMatrix.zeros(49, 2), Progress.NONE));
        double[] d = new double[9];
        d[1] = 1;
        d[3] = 2;
        assertThrows(HavException.class, () -> new CpuTsne().embedPrecomputed(d, 3, P, Progress.NONE));
        assertThrows(HavException.class, () -> new CpuTsne().embedPrecomputed(new double[8], 3, P, Progress.NONE));
    }
}
