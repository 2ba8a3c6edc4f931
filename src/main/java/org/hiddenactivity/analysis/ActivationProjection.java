package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.projection.Embedding;

/**
 * Activation projection (notebook {@code show_seq_projections}): the t-SNE of one hidden layer's activations at one
 * checkpoint; hue = true class, misclassified observations marked apart.
 */
public final class ActivationProjection {
    /** The outcome: points, classes, quality and the files written. */
    public record Result(int layer, int epoch, FloatMatrix points, int[] targets, int[] predicted, Quality quality,
                         double seconds, Figures.Files figure, Path dir) {
        public int misclassified() {
            int m = 0;
            for (int i = 0; i < targets.length; i++) {
                if (targets[i] != predicted[i]) {
                    m++;
                }
            }
            return m;
        }

        /** Every number the figure shows, for JSON. */
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("epoch", epoch);
            m.put("observations", targets.length);
            m.put("misclassified", misclassified());
            m.put("neighbourhood_hit_k6", quality.neighbourhoodHit());
            m.put("trustworthiness_k12", quality.trustworthiness());
            m.put("kl_divergence", quality.klDivergence());
            m.put("neighbourhood_hit_per_class", quality.perClassHit());
            m.put("tsne_seconds", seconds);
            return m;
        }
    }

    private ActivationProjection() {}

    /** Projects layer {@code layer} (1-based) at {@code epoch} and writes points.npy, targets.npy, predicted.npy, the figure and result.json. */
    public static Result run(AnalysisContext ctx, int layer, int epoch, Path dir) {
        ctx.checkLayer(layer);
        FloatMatrix x = ctx.features(epoch, layer);
        Projector projector = new Projector(ctx);
        Embedding e = projector.project(x, "layer " + layer + ", epoch " + epoch);
        Quality q = projector.quality(x, e, ctx.labels());
        int[] predicted = ctx.predicted(epoch);
        String stem = "projection_layer" + layer + "_epoch" + epoch;
        Figures.Files fig;
        try (StageTimer.Stage s = ctx.timer().stage("rendering")) {
            fig = Figures.scatter(dir.resolve(stem + ".png"), e.points(), ctx.labels(), predicted, ctx.data().classNames(),
                    ctx.model().name() + ": layer " + layer + ", epoch " + epoch,
                    String.format("t-SNE (perplexity %.0f), N = %d, neighbourhood hit %.3f, trustworthiness %.3f; x = misclassified",
                            e.perplexity(), x.rows(), q.neighbourhoodHit(), q.trustworthiness()),
                    ctx.options().imageSize());
        }
        Npy.write(dir.resolve(stem + "_points.npy"), e.points());
        Npy.write(dir.resolve(stem + "_targets.npy"), ctx.labels());
        Npy.write(dir.resolve(stem + "_predicted.npy"), predicted);
        ProjectionCsv.observations(dir.resolve(stem + ".csv"), e.points(), ctx.labels(), predicted,
                ctx.data().classNames(), layer, epoch);
        Result r = new Result(layer, epoch, e.points(), ctx.labels(), predicted, q, e.seconds(), fig, dir);
        Map<String, Object> json = new LinkedHashMap<>(r.numbers());
        json.put("projection", ctx.projectionSettings());
        Results.writeJson(dir.resolve(stem + ".json"), json, ctx.provenance("project"));
        return r;
    }
}
