package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

/** Issue 18, item 6: 1000 identical rows and 5 others gave a Barnes-Hut KL of -16.4 (exact: 2.02). */
class DuplicateRowsKlTest {
    @Test
    void theReportedKlOfManyCoincidingPointsIsTheExactOneAndSaysSo() {
        Random r = new Random(3);
        int n = 1005;
        int d = 4;
        float[] x = new float[n * d];
        for (int i = 1000; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (5 * r.nextGaussian());
            }
        }
        FloatMatrix data = new FloatMatrix(n, d, x);
        TsneParameters params = TsneParameters.defaults().withMaxIter(300);
        assertEquals(TsneParameters.Repulsion.BARNES_HUT, ScalableChoices.repulsion(params, n));
        Embedding e = new CpuTsne(2).embed(data, params, null, Progress.NONE);
        double exact = Metrics.klDivergence(data, e.points(), e.perplexity(), 2);
        assertTrue(exact > 0, "exact KL " + exact);
        assertEquals(exact, e.klDivergence(), 1e-9 * exact, "the reported KL is the exact one");
        assertTrue(e.klExact());
    }
}
