package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

class UmapTest {
    @Test
    void curveOfTheDefaultsIsUmapLearnsAandB() {
        // umap-learn 0.5.3: find_ab_params(spread=1.0, min_dist=0.1) = (1.5769434603113077, 0.8950608779109733)
        UmapCurve c = UmapParameters.defaults().curve();
        assertEquals(1.5769434603113077, c.a(), 1e-4);
        assertEquals(0.8950608779109733, c.b(), 1e-4);
    }

    @Test
    void sigmaSolvesTheMembershipSumByHand() {
        // d = {0.5, 1.5}, rho = 0.5: 1 + exp(-1 / sigma) = 1.5, so sigma = 1 / ln 2
        assertEquals(1 / Math.log(2), UmapProjection.sigma(new double[] {0.5, 1.5}, 0.5, 1.5), 1e-4);
    }

    @Test
    void fuzzyUnionIsProbabilisticOrOfBothDirections() {
        // 3 points, 1 neighbour each: 0 -> 1 (0.5), 1 -> 0 (0.25), 2 -> 1 (1.0)
        Neighbours nb = new Neighbours(3, 1, new int[] {1, 0, 1}, new float[] {1, 1, 4});
        UmapProjection.Graph g;
        try (Workers w = new Workers(2)) {
            g = UmapProjection.fuzzyUnion(nb, new float[] {0.5f, 0.25f, 1f}, w);
        }
        assertArrayEquals(new int[] {0, 1, 3, 4}, g.rowStart());
        assertArrayEquals(new int[] {1, 0, 2, 1}, g.col());
        // 0.5 + 0.25 - 0.5 x 0.25 = 0.625 both ways; the edge 1 - 2 exists one way only: 1.0
        assertArrayEquals(new float[] {0.625f, 0.625f, 1f, 1f}, g.weight());
    }

    @Test
    void membershipIsOneAtTheNearestNeighbourAndDecaysAfter() {
        Neighbours nb = new Neighbours(2, 1, new int[] {1, 0}, new float[] {4, 4});
        try (Workers w = new Workers(1)) {
            assertArrayEquals(new float[] {1f, 1f}, UmapProjection.memberships(nb, 15, w));
        }
    }

    @Test
    void separatedClustersStaySeparated() {
        FloatMatrix x = TestData.blobs(4, 50, 10, 3);
        Embedding e = new UmapProjection(UmapParameters.builder().nEpochs(200).threads(2).build())
                .fit(x, null, Progress.NONE);
        assertEquals(200, e.points().rows());
        assertTrue(TestData.allFinite(e.points()));
        double hit = Metrics.neighbourhoodHit(e.points(), TestData.blobLabels(4, 50), 6, 2);
        assertTrue(hit > 0.99, "neighbourhood hit " + hit);
        assertTrue(Metrics.trustworthiness(x, e.points(), 12, 2) > 0.85);
    }

    @Test
    void givenStartIsUsed() {
        FloatMatrix x = TestData.blobs(3, 20, 5, 1);
        UmapProjection u = new UmapProjection(UmapParameters.builder().nEpochs(20).build());
        FloatMatrix a = u.fit(x, null, Progress.NONE).points();
        FloatMatrix b = u.fit(x, TestData.gaussian(60, 2, 7), Progress.NONE).points();
        assertTrue(!java.util.Arrays.equals(a.data(), b.data()));
    }

    @Test
    void badInputIsAClearError() {
        FloatMatrix x = TestData.gaussian(10, 3, 1);
        x.data()[4] = Float.NaN;
        HavException e = assertThrows(HavException.class,
                () -> new UmapProjection(UmapParameters.defaults()).fit(x, null, Progress.NONE));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(HavException.class, () -> UmapParameters.builder().nNeighbors(1).build());
        assertThrows(HavException.class, () -> UmapParameters.builder().minDist(2).build());
        assertThrows(HavException.class, () -> new UmapProjection(UmapParameters.defaults())
                .fit(TestData.gaussian(10, 3, 1), TestData.gaussian(9, 2, 1), Progress.NONE));
    }

    @Test
    void pcaProjectsALineOntoItsLength() {
        // points t (1, 2, 0) + c: PCA's first coordinate is t sqrt(5) centred, the second 0
        int n = 5;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            v[3 * i] = i + 3;
            v[3 * i + 1] = 2 * i - 1;
            v[3 * i + 2] = 7;
        }
        Embedding e = new PcaProjection(2, 0, 1).fit(new FloatMatrix(n, 3, v), null, Progress.NONE);
        for (int i = 0; i < n; i++) {
            assertEquals((i - 2) * Math.sqrt(5), e.points().get(i, 0), 1e-5);
            assertEquals(0, e.points().get(i, 1), 1e-5);
        }
    }

    @Test
    void epochRuleIs500UpToTenThousandPointsAnd300AboveUnlessGiven() {
        UmapParameters rule = UmapParameters.builder().build();
        assertEquals(500, rule.epochsFor(10_000));
        assertEquals(300, rule.epochsFor(10_001));
        assertEquals(300, rule.epochsFor(60_000));
        assertEquals(120, UmapParameters.builder().nEpochs(120).build().epochsFor(60_000));
    }
}
