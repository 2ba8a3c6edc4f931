package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

/** The parallel kernels give the same bits for any thread count; the scalability choices resolve as documented. */
class ParallelKernelsTest {
    @Test
    void symmetrisedPIsTheSameForOneAndThreeThreads() {
        FloatMatrix x = TestData.blobs(3, 1500, 8, 4);
        Affinities one;
        Affinities three;
        try (Workers w = new Workers(1)) {
            one = Affinities.of(Neighbours.of(x, 45, w), 15, w);
        }
        try (Workers w = new Workers(3)) {
            three = Affinities.of(Neighbours.of(x, 45, w), 15, w);
        }
        assertArrayEquals(one.rowStart(), three.rowStart());
        assertArrayEquals(one.col(), three.col());
        assertArrayEquals(one.val(), three.val());
    }

    @Test
    void barnesHutTreeBuiltInParallelGivesTheSequentialGradientBitForBit() {
        int n = QuadTree.PARALLEL_MIN_POINTS + 5000;
        FloatMatrix x = TestData.gaussian(n, 3, 8);
        java.util.Random r = new java.util.Random(9);
        double[] y = new double[2 * n];
        for (int e = 0; e < y.length; e++) {
            y[e] = r.nextGaussian() * 30 + (e % 2 == 0 && (e / 2) % 3 == 0 ? 60 : 0);
        }
        double[] one = new double[2 * n];
        double[] three = new double[2 * n];
        Affinities p;
        try (Workers w = new Workers(2)) {
            p = CpuTsne.affinities(x, 5, 15, w);
        }
        double klOne;
        double klThree;
        try (Workers w = new Workers(1)) {
            klOne = new BarnesHutGradient(p, 0.5, w).compute(y, 1, true, one);
        }
        try (Workers w = new Workers(3)) {
            klThree = new BarnesHutGradient(p, 0.5, w).compute(y, 1, true, three);
        }
        assertArrayEquals(one, three);
        assertEquals(klOne, klThree);
    }

    @Test
    void fftEmbeddingIsTheSameForOneAndTwoThreads() {
        FloatMatrix x = TestData.blobs(3, 100, 5, 6);
        TsneParameters p = TsneParameters.defaults().withMaxIter(300).withRepulsion(TsneParameters.Repulsion.FFT);
        FloatMatrix a = new CpuTsne(1).embed(x, p, null, Progress.NONE).points();
        FloatMatrix b = new CpuTsne(2).embed(x, p, null, Progress.NONE).points();
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void autoChoicesFollowTheMeasuredCrossovers() {
        TsneParameters p = TsneParameters.defaults();
        assertEquals(TsneParameters.Repulsion.BARNES_HUT, ScalableChoices.repulsion(p, 100_000));
        assertEquals(TsneParameters.Repulsion.FFT, ScalableChoices.repulsion(p.withRepulsion(TsneParameters.Repulsion.FFT), 10));
        assertEquals(TsneParameters.Repulsion.EXACT, ScalableChoices.repulsion(p.withAngle(0), 10));
        assertEquals(TsneParameters.Repulsion.EXACT,
                ScalableChoices.repulsion(p.withRepulsion(TsneParameters.Repulsion.FFT).withAngle(0), 10));
        TsneParameters.NeighbourSearch auto = TsneParameters.NeighbourSearch.AUTO;
        assertEquals(TsneParameters.NeighbourSearch.EXACT, ScalableChoices.neighbourSearch(auto, 12_000, 256));
        assertEquals(TsneParameters.NeighbourSearch.APPROXIMATE,
                ScalableChoices.neighbourSearch(auto, ScalableChoices.APPROXIMATE_MIN_POINTS, 784));
        assertEquals(TsneParameters.NeighbourSearch.EXACT, ScalableChoices.neighbourSearch(auto, 100_000, 2));
        // the with* methods keep the choices
        TsneParameters q = p.withRepulsion(TsneParameters.Repulsion.FFT)
                .withNeighbourSearch(TsneParameters.NeighbourSearch.APPROXIMATE).withPerplexity(10).withEarlyExaggerationIter(5).withMaxIter(5);
        assertEquals(TsneParameters.Repulsion.FFT, q.repulsion());
        assertEquals(TsneParameters.NeighbourSearch.APPROXIMATE, q.neighbourSearch());
    }
}
