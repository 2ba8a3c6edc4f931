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
                .withNeighbourSearch(TsneParameters.NeighbourSearch.APPROXIMATE).withPerplexity(10).withMaxIter(5);
        assertEquals(TsneParameters.Repulsion.FFT, q.repulsion());
        assertEquals(TsneParameters.NeighbourSearch.APPROXIMATE, q.neighbourSearch());
    }
}
