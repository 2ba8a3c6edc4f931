package org.hiddenactivity.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Projection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --projection umap and pca run through the analyses, their JSON names the method, dynamic stays t-SNE's. */
class OtherProjectionsTest {
    @TempDir
    Path tmp;

    private AnalysisContext open(Projection.Method method) {
        return AnalysisContext.open(AnalysisOptions.builder("mnist_mlp", tmp.resolve("cache")).size(200)
                .backend("cpu").quiet(true).imageSize(256).projection(method).build());
    }

    @Test
    void umapAndPcaProjectTheTrainedLastLayer() throws Exception {
        for (Projection.Method m : new Projection.Method[] {Projection.Method.UMAP, Projection.Method.PCA}) {
            try (AnalysisContext ctx = open(m)) {
                Path dir = tmp.resolve(m.id());
                ActivationProjection.Result r = ActivationProjection.run(ctx, ctx.layerCount(),
                        ctx.model().lastEpoch());
                Outputs.write(ctx, r, dir);
                double floor = m == Projection.Method.UMAP ? 0.85 : 0.5;
                assertTrue(r.quality().neighbourhoodHit() > floor, m + " hit " + r.quality().neighbourhoodHit());
                assertEquals(m.id(), ctx.projectionSettings().get("method"));
                String json = java.nio.file.Files.readString(dir.resolve("projection_layer" + ctx.layerCount()
                        + "_epoch" + ctx.model().lastEpoch() + ".json"));
                assertTrue(json.contains("\"method\" : \"" + m.id() + "\"") || json.contains("\"method\":\"" + m.id()
                        + "\""), json);
            }
        }
    }

    @Test
    void aSecondRunReusesTheCachedUmapProjection() {
        // UMAP's KL and perplexity are NaN, stored as "NaN": the cache used to reject such entries (issue 20)
        org.hiddenactivity.core.FloatMatrix first;
        try (AnalysisContext ctx = open(Projection.Method.UMAP)) {
            first = ActivationProjection.run(ctx, 1, ctx.model().lastEpoch()).points();
            assertEquals(0, ctx.projections().hits());
        }
        try (AnalysisContext ctx = open(Projection.Method.UMAP)) {
            var again = ActivationProjection.run(ctx, 1, ctx.model().lastEpoch()).points();
            assertEquals(1, ctx.projections().hits());
            assertTrue(java.util.Arrays.equals(first.data(), again.data()));
        }
    }

    @Test
    void dynamicAlignmentIsRefusedForUmap() {
        try (AnalysisContext ctx = open(Projection.Method.UMAP)) {
            HavException e = assertThrows(HavException.class,
                    () -> Evolution.layers(ctx, ctx.model().lastEpoch(), Alignment.DYNAMIC));
            assertTrue(e.getMessage().contains("--projection tsne"), e.getMessage());
        }
    }
}
