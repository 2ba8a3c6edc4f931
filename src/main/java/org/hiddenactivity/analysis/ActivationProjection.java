package org.hiddenactivity.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.projection.Embedding;

/**
 * Activation projection (notebook {@code show_seq_projections}): the t-SNE of one hidden layer's activations at one
 * checkpoint; hue = true class, misclassified observations marked apart.
 */
public final class ActivationProjection {
    /** Key of the scatter plot in the written outputs. */
    public static final String FIGURE = "figure";

    /** The outcome: points, classes and quality ({@code perplexity}: the t-SNE's, NaN for other methods). */
    public record Result(int layer, int epoch, FloatMatrix points, int[] targets, int[] predicted, Quality quality,
                         double seconds, double perplexity) implements Analysis.Result {
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
        @Override
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

        /** The figure, points.npy, targets.npy, predicted.npy, a CSV and the result's JSON. */
        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            String stem = "projection_layer" + layer + "_epoch" + epoch;
            return List.of(
                    new Output.Figure(FIGURE, stem, () -> Figures.scatter(points, targets, predicted,
                            ctx.data().classNames(), ctx.model().name() + ": layer " + layer + ", epoch " + epoch,
                            String.format("t-SNE (perplexity %.0f), N = %d, neighbourhood hit %.3f, trustworthiness"
                                    + " %.3f; x = misclassified", perplexity, points.rows(),
                                    quality.neighbourhoodHit(), quality.trustworthiness()),
                            ctx.options().imageSize())),
                    new Output.Data(stem + "_points.npy", f -> Npy.write(f, points)),
                    new Output.Data(stem + "_targets.npy", f -> Npy.write(f, targets)),
                    new Output.Data(stem + "_predicted.npy", f -> Npy.write(f, predicted)),
                    new Output.Data(stem + ".csv", f -> ProjectionCsv.observations(f, points, targets, predicted,
                            ctx.data().classNames(), layer, epoch)),
                    new Output.Data(stem + ".json", f -> {
                        Map<String, Object> json = new LinkedHashMap<>(numbers());
                        json.put("projection", ctx.projectionSettings());
                        Results.writeJson(f, json, ctx.provenance("project"));
                    }));
        }
    }

    /** Inputs: the layer (1-based) and the checkpoint. */
    public record Inputs(int layer, int epoch) {}

    /** The activation projection as an {@link Analysis}. */
    public static final Analysis<Inputs, Result> ANALYSIS = new Analysis<>() {
        @Override
        public String id() {
            return "projection";
        }

        @Override
        public Inputs inputs(AnalysisRun run) {
            return new Inputs(run.selection().layerOr(run.ctx()), run.selection().epochOr(run.ctx()));
        }

        @Override
        public ActivationProjection.Result compute(AnalysisContext ctx, Inputs in) {
            return run(ctx, in.layer(), in.epoch());
        }
    };

    private ActivationProjection() {}

    /** Projects layer {@code layer} (1-based) at {@code epoch}. */
    public static Result run(AnalysisContext ctx, int layer, int epoch) {
        ctx.checkLayer(layer);
        FloatMatrix x = ctx.features(epoch, layer);
        Projector projector = new Projector(ctx);
        Embedding e = projector.project(x, "layer " + layer + ", epoch " + epoch);
        Quality q = projector.quality(x, e, ctx.labels());
        return new Result(layer, epoch, e.points(), ctx.labels(), ctx.predicted(epoch), q, e.seconds(),
                e.perplexity());
    }
}
