package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

/** Far-apart clusters smaller than k = 3 x perplexity give P entries that underflow to 0; KL must stay finite. */
class SeparatedClustersKlTest {
    @Test
    void klIsFiniteWhenSomeAffinitiesUnderflowToZero() {
        Random r = new Random(7);
        int n = 400;
        int d = 20;
        float[][] centres = new float[5][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (6 * r.nextGaussian());
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[i % 5][j] + (float) r.nextGaussian();
            }
        }
        FloatMatrix data = new FloatMatrix(n, d, x);
        Embedding e = new CpuTsne(2).embed(data, TsneParameters.defaults().withMaxIter(300), null, Progress.NONE);
        assertTrue(Double.isFinite(e.klDivergence()) && e.klDivergence() > 0, "engine KL " + e.klDivergence());
        double kl = Metrics.klDivergence(data, e.points(), 30, 2);
        assertTrue(Double.isFinite(kl) && kl > 0, "metric KL " + kl);
    }
}
