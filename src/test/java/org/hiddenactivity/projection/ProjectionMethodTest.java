package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

/** The Projection interface's names, settings and parameter rules. */
class ProjectionMethodTest {
    @Test
    void methodsParseByName() {
        assertEquals(Projection.Method.UMAP, Projection.Method.parse("UMAP", "--method"));
        assertEquals(Projection.Method.TSNE, Projection.Method.parse("t-sne", "--method"));
        HavException e = assertThrows(HavException.class, () -> Projection.Method.parse("isomap", "--projection"));
        assertTrue(e.getMessage().contains("--projection isomap"), e.getMessage());
    }

    @Test
    void settingsNameEveryResultChangingValueAndNoThreadCount() {
        TsneParameters p = TsneParameters.defaults().withThreads(3);
        try (Projection t = Projection.create(Projection.Method.TSNE, p, UmapParameters.defaults(), "cpu");
             Projection t1 = Projection.create(Projection.Method.TSNE, p.withThreads(1), UmapParameters.defaults(),
                     "cpu");
             Projection u = Projection.create(Projection.Method.UMAP, p, UmapParameters.defaults(), "cpu")) {
            assertEquals("tsne", t.settings().get("method"));
            assertEquals(30.0, t.settings().get("perplexity"));
            assertEquals("EUCLIDEAN", t.settings().get("metric"));
            assertEquals(t.settings(), t1.settings(), "threads do not change results, so they are not a setting");
            assertEquals(15, u.settings().get("nNeighbors"));
            assertNotEquals(u.settings(), Projection.create(Projection.Method.UMAP, p,
                    UmapParameters.builder().minDist(0.2).build(), "cpu").settings());
        }
    }

    @Test
    void maxIterChangesOnlyItself() {
        // withMaxIter used to lower the exaggeration iterations to fit (issue 20)
        TsneParameters p = TsneParameters.defaults().withEarlyExaggerationIter(100);
        assertEquals(100, p.withMaxIter(300).earlyExaggerationIter());
        HavException e = assertThrows(HavException.class, () -> TsneParameters.defaults().withMaxIter(100));
        assertTrue(e.getMessage().contains("--exaggeration-iterations"), e.getMessage());
    }

    @Test
    void builderDerivesTheExaggerationIterationsOnlyWhenNotGiven() {
        assertEquals(250, TsneParameters.builder().build().earlyExaggerationIter());
        assertEquals(100, TsneParameters.builder().maxIter(100).build().earlyExaggerationIter());
        assertEquals(40, TsneParameters.builder().maxIter(100).earlyExaggerationIter(40).build()
                .earlyExaggerationIter());
        assertThrows(HavException.class, () -> TsneParameters.builder().maxIter(100).earlyExaggerationIter(101)
                .build());
        assertEquals(TsneParameters.defaults(), TsneParameters.defaults().toBuilder().build());
    }

    @Test
    void provenanceWithoutAMetricReadsAsEuclidean() throws Exception {
        // report.json files written before the metric existed (their runs were Euclidean) still read back
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(TsneParameters.defaults());
        tree.remove("metric");
        assertEquals(TsneParameters.defaults(), mapper.treeToValue(tree, TsneParameters.class));
    }

    @Test
    void cosineMetricScalesRowsToUnitLength() {
        var x = new org.hiddenactivity.core.FloatMatrix(2, 2, new float[] {3, 4, 0, 2});
        var m = TsneInput.withMetric(x, TsneParameters.Metric.COSINE, "t");
        assertEquals(0.6f, m.get(0, 0), 1e-7);
        assertEquals(0.8f, m.get(0, 1), 1e-7);
        assertEquals(1f, m.get(1, 1), 1e-7);
        assertThrows(HavException.class, () -> TsneInput.withMetric(
                new org.hiddenactivity.core.FloatMatrix(1, 2, new float[2]), TsneParameters.Metric.COSINE, "t"));
    }
}
