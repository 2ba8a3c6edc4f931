package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

class GradientTest {
    private static Affinities affinities(FloatMatrix x, double perplexity, Workers w) {
        return CpuTsne.affinities(x, perplexity, (int) (3 * perplexity), w);
    }

    @Test
    void affinitiesAreSymmetricAndSumToOneWithTheRequestedPerplexity() {
        FloatMatrix x = TestData.gaussian(200, 5, 1);
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(x, 30, w);
            double[] row = new double[30];
            Affinities.conditionalRow(nb.sqDistances(), 0, 30, 10, row);
            double h = 0;
            for (double v : row) {
                h -= v > 0 ? v * Math.log(v) : 0;
            }
            assertEquals(Math.log(10), h, 1e-4);
            Affinities p = Affinities.of(nb, 10, w);
            double[] dense = p.dense();
            double sum = 0;
            for (int i = 0; i < 200; i++) {
                for (int j = 0; j < 200; j++) {
                    assertEquals(dense[i * 200 + j], dense[j * 200 + i], 1e-9);
                    sum += dense[i * 200 + j];
                }
                assertEquals(0, dense[i * 200 + i]);
            }
            assertEquals(1, sum, 1e-5);
        }
    }

    @Test
    void neighboursAreTheExactNearest() {
        FloatMatrix x = TestData.gaussian(150, 20, 2);
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(x, 7, w);
            for (int i = 0; i < 150; i++) {
                float kth = nb.sqDistances()[i * 7 + 6];
                int closer = 0;
                for (int j = 0; j < 150; j++) {
                    if (j != i && SquaredDistances.exact(x, i, j) < kth * (1 - 1e-5f)) {
                        closer++;
                    }
                }
                assertTrue(closer <= 6, "row " + i);
                assertEquals(SquaredDistances.exact(x, i, nb.index()[i * 7]), nb.sqDistances()[i * 7], 1e-3);
            }
        }
    }

    @Test
    void exactGradientMatchesFiniteDifferencesOfExactKl() {
        FloatMatrix x = TestData.gaussian(40, 4, 3);
        Random r = new Random(4);
        double[] y = new double[80];
        for (int e = 0; e < y.length; e++) {
            y[e] = r.nextGaussian() * 2;
        }
        try (Workers w = new Workers(1)) {
            Affinities p = affinities(x, 5, w);
            ExactGradient g = new ExactGradient(p, 2, w);
            double[] grad = new double[80];
            g.compute(y, 1, false, grad);
            double h = 1e-5;
            for (int e = 0; e < 80; e += 7) {
                double[] plus = y.clone();
                double[] minus = y.clone();
                plus[e] += h;
                minus[e] -= h;
                double numeric = (ExactGradient.klDivergence(p, plus, 2, w) - ExactGradient.klDivergence(p, minus, 2, w))
                        / (2 * h);
                assertEquals(numeric, grad[e], 1e-5 + 1e-3 * Math.abs(numeric), "coordinate " + e);
            }
        }
    }

    @Test
    void barnesHutGradientIsCloseToExactOn300Points() {
        FloatMatrix x = TestData.blobs(3, 100, 6, 5);
        Random r = new Random(6);
        double[] y = new double[600];
        for (int e = 0; e < y.length; e++) {
            y[e] = r.nextGaussian() * 10;
        }
        try (Workers w = new Workers(2)) {
            Affinities p = affinities(x, 30, w);
            double[] exact = new double[600];
            double[] bh = new double[600];
            double klExact = new ExactGradient(p, 2, w).compute(y, 1, true, exact);
            double klBh = new BarnesHutGradient(p, 0.5, w).compute(y, 1, true, bh);
            double diff = 0;
            double norm = 0;
            for (int e = 0; e < 600; e++) {
                diff += (bh[e] - exact[e]) * (bh[e] - exact[e]);
                norm += exact[e] * exact[e];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel < 0.05, "relative gradient error " + rel);
            assertEquals(klExact, klBh, 0.01 * klExact);
            // theta -> 0 converges to the exact gradient
            double[] fine = new double[600];
            new BarnesHutGradient(p, 0.05, w).compute(y, 1, false, fine);
            double diffFine = 0;
            for (int e = 0; e < 600; e++) {
                diffFine += (fine[e] - exact[e]) * (fine[e] - exact[e]);
            }
            assertTrue(Math.sqrt(diffFine / norm) < rel && Math.sqrt(diffFine / norm) < 1e-3);
        }
    }

    @Test
    void quadTreeHandlesDuplicatePoints() {
        double[] y = new double[2 * 50];
        for (int i = 0; i < 40; i++) {
            y[2 * i] = 1.5;
            y[2 * i + 1] = -2;
        }
        for (int i = 40; i < 50; i++) {
            y[2 * i] = i;
            y[2 * i + 1] = i * 0.5;
        }
        FloatMatrix x = TestData.gaussian(50, 3, 7);
        try (Workers w = new Workers(1)) {
            Affinities p = affinities(x, 5, w);
            double[] exact = new double[100];
            double[] bh = new double[100];
            new ExactGradient(p, 2, w).compute(y, 1, false, exact);
            new BarnesHutGradient(p, 0.5, w).compute(y, 1, false, bh);
            for (int e = 0; e < 100; e++) {
                assertTrue(Double.isFinite(bh[e]));
                assertEquals(exact[e], bh[e], 0.05 * Math.abs(exact[e]) + 1e-4);
            }
        }
    }

    @Test
    void groupTraversalIsAtLeastAsAccurateAsThePerPointCriterion() {
        // a clustered 2-D map like a t-SNE result: 6000 points in 12 blobs of different spreads
        Random r = new Random(21);
        int n = 6000;
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 12;
            double spread = 1 + c % 4;
            y[2 * i] = 30 * Math.cos(c) + r.nextGaussian() * spread;
            y[2 * i + 1] = 30 * Math.sin(c) + r.nextGaussian() * spread;
        }
        float theta2 = 0.25f;
        try (Workers w = new Workers(2)) {
            QuadTree tree = new QuadTree(n, w);
            tree.build(y);
            double[] perPoint = new double[2 * n];
            double zPerPoint = 0;
            double[] f = new double[2];
            for (int q = 0; q < n; q++) {
                zPerPoint += tree.repulsion(q, theta2, f);
                perPoint[2 * tree.perm[q]] = f[0];
                perPoint[2 * tree.perm[q] + 1] = f[1];
            }
            double[] grouped = new double[2 * n];
            double zGrouped = 0;
            QuadTree.GroupScratch scratch = new QuadTree.GroupScratch();
            double[] out = new double[2 * QuadTree.GROUP_SIZE];
            int groups = tree.findGroups();
            int covered = 0;
            for (int g = 0; g < groups; g++) {
                zGrouped += tree.groupRepulsion(g, theta2, scratch, out);
                assertEquals(covered, tree.groupStart(g), "groups tile the tree order");
                for (int p = tree.groupStart(g); p < tree.groupEnd(g); p++) {
                    grouped[2 * tree.perm[p]] = out[2 * (p - tree.groupStart(g))];
                    grouped[2 * tree.perm[p] + 1] = out[2 * (p - tree.groupStart(g)) + 1];
                }
                covered = tree.groupEnd(g);
            }
            assertEquals(n, covered);
            double errPerPoint = 0;
            double errGrouped = 0;
            double norm = 0;
            double z = 0;
            for (int i = 0; i < n; i++) {
                double fx = 0;
                double fy = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double dx = y[2 * i] - y[2 * j];
                        double dy = y[2 * i + 1] - y[2 * j + 1];
                        double q = 1 / (1 + dx * dx + dy * dy);
                        z += q;
                        fx += q * q * dx;
                        fy += q * q * dy;
                    }
                }
                errPerPoint += Math.hypot(perPoint[2 * i] - fx, perPoint[2 * i + 1] - fy);
                errGrouped += Math.hypot(grouped[2 * i] - fx, grouped[2 * i + 1] - fy);
                norm += Math.hypot(fx, fy);
            }
            assertTrue(errGrouped <= errPerPoint, "grouped " + errGrouped / norm + " vs per point " + errPerPoint / norm);
            assertTrue(errGrouped / norm < 0.02, "relative error " + errGrouped / norm);
            assertEquals(z, zGrouped, 5e-3 * z);
            assertEquals(z, zPerPoint, 1e-2 * z);
        }
    }
}
