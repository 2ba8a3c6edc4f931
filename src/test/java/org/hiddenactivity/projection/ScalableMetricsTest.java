package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.Test;

/** The metrics from kNN graphs against the exact O(N^2) references; the approximate kNN's recall. */
class ScalableMetricsTest {
    private static FloatMatrix map(int n, long seed, boolean withDuplicates) {
        Random r = new Random(seed);
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 5;
            v[2 * i] = (float) (c * 8 + r.nextGaussian() * 2);
            v[2 * i + 1] = (float) ((c % 2) * 5 + r.nextGaussian() * 3);
        }
        if (withDuplicates) {
            for (int i = 0; i < 30; i++) {
                v[2 * (i + 100)] = v[0];
                v[2 * (i + 100) + 1] = v[1];
            }
        }
        return new FloatMatrix(n, 2, v);
    }

    @Test
    void gridNeighboursAreTheBruteForceListsExactly() {
        for (boolean dup : new boolean[] {false, true}) {
            FloatMatrix low = map(3000, 3, dup);
            assertArrayEquals(Metrics.lowNeighboursBruteForce(low, 12, 2), Metrics.lowNeighbours(low, 12, 2));
        }
        // a line (zero height) and a 3-D map (brute-force fallback)
        float[] line = new float[2 * 500];
        for (int i = 0; i < 500; i++) {
            line[2 * i] = (i * 37) % 101;
        }
        FloatMatrix flat = new FloatMatrix(500, 2, line);
        assertArrayEquals(Metrics.lowNeighboursBruteForce(flat, 6, 1), Metrics.lowNeighbours(flat, 6, 1));
    }

    @Test
    void evaluateEqualsTheExactReferencesWhereTheyAreExact() {
        FloatMatrix x = TestData.blobs(5, 300, 20, 11);
        FloatMatrix low = new CpuTsne(2).embed(x, TsneParameters.defaults().withMaxIter(300), null,
                org.hiddenactivity.core.Progress.NONE).points();
        int[] labels = new int[1500];
        for (int i = 0; i < 1500; i++) {
            labels[i] = i % 5 == 0 ? (i / 5) % 3 : i / 300;
        }
        Metrics.Report m = Metrics.evaluate(x, low, labels, 30, 2);
        assertEquals(Metrics.knnPreservation(x, low, Metrics.KNN_PRESERVATION_K, 2), m.knnPreservation());
        assertEquals(Metrics.neighbourhoodHit(low, labels, Metrics.NEIGHBOURHOOD_HIT_K, 2), m.neighbourhoodHit());
        // every point is in the rank sample at this size: exact up to float rounding of near-ties
        assertEquals(Metrics.trustworthiness(x, low, Metrics.TRUSTWORTHINESS_K, 2), m.trustworthiness(), 1e-7);
        assertEquals(Metrics.klDivergence(x, low, 30, 2), m.klDivergence(), 1e-12);
        assertTrue(m.klExact());
        double[] perPoint = Metrics.neighbourhoodHitPerPoint(low, labels, Metrics.NEIGHBOURHOOD_HIT_K, 2);
        double mean = 0;
        for (double v : perPoint) {
            mean += v / perPoint.length;
        }
        assertEquals(m.neighbourhoodHit(), mean, 1e-12);
    }

    @Test
    void sampledRanksEstimateTheTrustworthinessWithin2e3() {
        // a poor map (random points) has many neighbours far beyond the data graph, the case the sample estimates
        FloatMatrix x = TestData.blobs(4, 500, 10, 12);
        Random r = new Random(13);
        float[] v = new float[4000];
        for (int i = 0; i < 2000; i++) {
            v[2 * i] = (float) ((i / 500) * 3 + r.nextGaussian() * 4);
            v[2 * i + 1] = (float) r.nextGaussian() * 4;
        }
        FloatMatrix low = new FloatMatrix(2000, 2, v);
        double exact = Metrics.trustworthiness(x, low, 12, 2);
        try (Workers w = new Workers(2)) {
            Neighbours graph = Neighbours.of(x, 90, w);
            int[] lowNb = LowNeighbours.of(low, 12, w);
            double full = NeighbourMetrics.trustworthinessAndPreservation(x, graph, lowNb, 12, 12, 12, 4096, 0, w)[0];
            double sampled = NeighbourMetrics.trustworthinessAndPreservation(x, graph, lowNb, 12, 12, 12, 500, 0, w)[0];
            // all points sampled: exact up to float rounding of near-ties (distances by another SGEMM blocking)
            assertEquals(exact, full, 1e-7);
            assertTrue(exact < 0.95, "the case must have pairs beyond the graph: " + exact);
            // a random map (T = 0.50): 0.24 % of its penalty; realistic maps have far fewer pairs beyond the graph
            assertEquals(exact, sampled, 2e-3, "sampled " + sampled + " exact " + exact);
            assertTrue(sampled != exact, "the sample path was taken");
        }
    }

    @Test
    void approximateNeighboursRecallAtLeast098AtK90OnMnist() {
        FloatMatrix x = Features.zscore(Datasets.load("mnist", Split.TEST, null, 3000).images());
        try (Workers w = new Workers(2)) {
            Neighbours exact = Neighbours.of(x, 90, w);
            Neighbours approx = ApproximateNeighbours.of(x, 90, w);
            double recall = Recall.of(exact, approx);
            assertTrue(recall >= 0.98, "recall " + recall);
            // same contract: ascending, self excluded, exact distances
            for (int i = 0; i < 3000; i++) {
                for (int e = 0; e < 90; e++) {
                    assertTrue(approx.index()[i * 90 + e] != i);
                    if (e > 0) {
                        assertTrue(approx.sqDistances()[i * 90 + e - 1] <= approx.sqDistances()[i * 90 + e]);
                    }
                }
            }
        }
    }
}
