package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

class CpuTsneTest {
    private static final TsneParameters FAST = TsneParameters.defaults().withMaxIter(500).withThreads(2);

    @Test
    void klFallsOverTheIterations() {
        FloatMatrix x = TestData.gaussian(300, 8, 2);
        TsneParameters p = TsneParameters.defaults().withMaxIter(600).withThreads(2);
        Embedding e = new CpuTsne().embed(x, p, null, Progress.NONE);
        double[] h = e.klHistory();
        assertEquals(600 / Embedding.KL_EVERY, h.length);
        // after early exaggeration (250 iterations: entries 0..4) the KL must keep falling, up to BH noise
        for (int i = 6; i < h.length; i++) {
            assertTrue(h[i] <= h[i - 1] * 1.01, "KL rose from " + h[i - 1] + " to " + h[i] + " at check " + i);
        }
        assertTrue(h[h.length - 1] < h[0], "KL did not fall: " + java.util.Arrays.toString(h));
        assertTrue(e.klDivergence() < h[5], "final KL " + e.klDivergence() + " vs " + h[5]);
    }

    @Test
    void sameSeedSameResultForAnyThreadCount() {
        FloatMatrix x = TestData.blobs(3, 70, 6, 3);
        TsneParameters p = TsneParameters.defaults().withMaxIter(300);
        Embedding a = new CpuTsne(1).embed(x, p, null, Progress.NONE);
        Embedding b = new CpuTsne(2).embed(x, p, null, Progress.NONE);
        Embedding c = new CpuTsne(2).embed(x, p, null, Progress.NONE);
        assertArrayEquals(b.points().data(), c.points().data());
        assertArrayEquals(a.points().data(), b.points().data());
        Embedding other = new CpuTsne(2).embed(x, p.withInit(TsneParameters.Init.RANDOM).withRandomState(7), null,
                Progress.NONE);
        Embedding other2 = new CpuTsne(2).embed(x, p.withInit(TsneParameters.Init.RANDOM).withRandomState(8), null,
                Progress.NONE);
        assertTrue(!java.util.Arrays.equals(other.points().data(), other2.points().data()), "seed ignored");
    }

    @Test
    void barnesHutAgreesWithExactTsne() {
        FloatMatrix x = TestData.blobs(3, 100, 5, 4);
        TsneParameters p = TsneParameters.defaults().withMaxIter(400).withThreads(2);
        Embedding bh = new CpuTsne().embed(x, p, null, Progress.NONE);
        Embedding exact = new CpuTsne().embed(x, p.withAngle(0), null, Progress.NONE);
        double klBh = Metrics.klDivergence(x, bh.points(), 30, 2);
        double klExact = Metrics.klDivergence(x, exact.points(), 30, 2);
        assertTrue(Math.abs(klBh - klExact) < 0.05 * klExact + 0.02, "KL BH " + klBh + " exact " + klExact);
    }

    @Test
    void pcaStartHasTheDocumentedScale() {
        FloatMatrix x = TestData.blobs(3, 50, 5, 8);
        try (Workers w = new Workers(1)) {
            double[] y = Initialisation.pca(x, 2, 0, w);
            double mean = 0;
            for (int i = 0; i < 150; i++) {
                mean += y[2 * i];
            }
            mean /= 150;
            double var = 0;
            for (int i = 0; i < 150; i++) {
                var += (y[2 * i] - mean) * (y[2 * i] - mean);
            }
            assertEquals(1e-4, Math.sqrt(var / 150), 1e-9);
            // the first axis separates the clusters better than the second (largest variance first)
            double var2 = 0;
            for (int i = 0; i < 150; i++) {
                var2 += y[2 * i + 1] * y[2 * i + 1];
            }
            assertTrue(var2 / 150 <= var / 150 * 1.0001);
        }
    }

    @Test
    void precomputedDissimilaritiesSeparateClusters() {
        FloatMatrix x = TestData.blobs(3, 40, 6, 9);
        int n = x.rows();
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = Math.sqrt(SquaredDistances.exact(x, i, j));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[i * n + j] = d[j * n + i];
            }
            d[i * n + i] = 0;
        }
        Embedding e = new CpuTsne(2).embedPrecomputed(d, n, FAST, Progress.NONE);
        assertTrue(TestData.allFinite(e.points()));
        double hit = Metrics.neighbourhoodHit(e.points(), TestData.blobLabels(3, 40), 6, 2);
        assertTrue(hit > 0.95, "neighbourhood hit " + hit);
    }
}
