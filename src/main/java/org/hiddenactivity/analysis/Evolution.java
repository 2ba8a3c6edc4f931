package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.bundling.BundlingParameters;
import org.hiddenactivity.bundling.Kdeeb;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Embedding;

/**
 * A sequence of projections of the same observations (layers of one checkpoint, or one layer across checkpoints),
 * made comparable by an alignment, drawn as thumbnails and as trails: bundled per class, and as a plain trace.
 */
public final class Evolution {
    /** One step of the sequence: a layer or an epoch, with the predictions at its checkpoint. */
    public record Step(String label, int layer, int epoch, FloatMatrix points, Quality quality, int misclassified,
                       int[] predicted) {}

    /**
     * The outcome of a sequence analysis: the steps, the trails before ({@code straight}) and after bundling, and
     * what the figures and files are named by ({@code title}, {@code stem}, the depth notes).
     */
    public record Result(String kind, Alignment alignment, List<Step> steps, List<float[]> straight,
                         Kdeeb.Bundled bundled, double inkBefore, double inkAfter, double areaBefore,
                         double areaAfter, String title, String stem, String brightnessNote, String depthLabel)
            implements Analysis.Result {
        /** Key of the bundled trails figure in the written outputs. */
        public static final String TRAILS = "trails_figure";
        /** Key of the trace figure. */
        public static final String TRACE = "trace_figure";

        /** Key of step {@code t}'s scatter plot. */
        public static String stepFigure(int t) {
            return "step_" + t;
        }

        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            List<Output> out = new ArrayList<>();
            int[] labels = ctx.labels();
            List<String> classNames = ctx.data().classNames();
            int size = ctx.options().imageSize();
            for (int t = 0; t < steps.size(); t++) {
                Step st = steps.get(t);
                String stepStem = stem + "_" + st.label().replace(' ', '_');
                out.add(new Output.Data(stepStem + "_points.npy", f -> Npy.write(f, st.points())));
                out.add(new Output.Data(stepStem + ".csv", f -> ProjectionCsv.observations(f, st.points(), labels,
                        st.predicted(), classNames, st.layer(), st.epoch())));
                out.add(new Output.Figure(stepFigure(t), stepStem, () -> Figures.scatter(st.points(), labels,
                        st.predicted(), classNames, ctx.model().name() + ": " + st.label(),
                        String.format("%s alignment, neighbourhood hit %.3f, trustworthiness %.3f; x = misclassified",
                                alignment.id(), st.quality().neighbourhoodHit(), st.quality().trustworthiness()),
                        size)));
            }
            out.add(new Output.Data(stem + "_targets.npy", f -> Npy.write(f, labels)));
            boolean bundle = ctx.options().bundle();
            out.add(new Output.Figure(TRAILS, stem + "_trails", () -> Figures.trails(bundled.trails(),
                    bundled.depths(), labels, classNames, ctx.model().name() + ": " + title + (bundle ? " (bundled)"
                            : ""), alignment.id() + " alignment; hue = class; " + brightnessNote, depthLabel, size,
                    false)));
            out.add(new Output.Figure(TRACE, stem + "_trace", () -> Figures.trails(straight, null, labels,
                    classNames, ctx.model().name() + ": " + title + " (trace)",
                    alignment.id() + " alignment; unbundled, later segments more opaque; " + brightnessNote,
                    depthLabel, size, true)));
            out.add(new Output.Data(stem + ".json", f -> Results.writeJson(f, numbers(), ctx.provenance(kind))));
            return out;
        }

        /** Every number the figures show, for JSON. */
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("alignment", alignment.id());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Step s : steps) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("step", s.label());
                r.put("layer", s.layer());
                r.put("epoch", s.epoch());
                r.put("neighbourhood_hit_k6", s.quality().neighbourhoodHit());
                r.put("trustworthiness_k12", s.quality().trustworthiness());
                r.put("kl_divergence", s.quality().klDivergence());
                r.put("neighbourhood_hit_per_class", s.quality().perClassHit());
                r.put("misclassified", s.misclassified());
                rows.add(r);
            }
            m.put("steps", rows);
            // ink: total length of all trails in the unit frame of the trail figures, and the area they cover
            m.put("trail_ink_unbundled", inkBefore);
            m.put("trail_ink_bundled", inkAfter);
            m.put("trail_ink_meaning", "total length of the trails (each snapshot mapped into [-1, 1]^2), before and"
                    + " after bundling. Bundling pulls each trail toward the shared paths of its class: long trails"
                    + " between distant positions get shorter, short trails inside a cluster get longer (they bend),"
                    + " so the change says how far trails were bent, not how much they share; trail_area_* measures"
                    + " the sharing");
            m.put("trail_area_unbundled", areaBefore);
            m.put("trail_area_bundled", areaAfter);
            m.put("trail_area_meaning", "fraction of a " + Trails.AREA_GRID + " x " + Trails.AREA_GRID + " grid over"
                    + " [-1, 1]^2 that at least one trail passes through, before and after bundling: trails that share"
                    + " paths cover less area (bundled < unbundled)");
            return m;
        }

        /**
         * What bundling did to the trails' total length, worded by the sign of the change ("lengthens" or
         * "shortens"), or null without bundled trails.
         */
        public String inkStatement() {
            if (!(inkBefore > 0) || !Double.isFinite(inkAfter) || inkAfter == inkBefore) {
                return null;
            }
            double change = inkAfter / inkBefore - 1;
            return String.format(java.util.Locale.ROOT, "Bundling %s the trails %s: their total length (each"
                    + " snapshot mapped into [-1, 1]^2) goes from %.0f to %.0f (%+.1f%%).", change > 0 ? "lengthens"
                    : "shortens", kind.equals("layers") ? "through the layers" : "through training", inkBefore,
                    inkAfter, 100 * change);
        }
    }

    /** The inter-layer evolution as an {@link Analysis}: every hidden layer of one checkpoint. */
    public static final Analysis<LayerInputs, Result> LAYERS = new Analysis<>() {
        @Override
        public String id() {
            return "layers";
        }

        @Override
        public LayerInputs inputs(AnalysisRun run) {
            return new LayerInputs(run.selection().epochOr(run.ctx()), run.selection().layerAlignment());
        }

        @Override
        public String omission(AnalysisContext ctx, LayerInputs in) {
            if (ctx.layerCount() >= 2) {
                return null;
            }
            return "Left out: the model has one hidden layer (" + new LayerNames(ctx).layer(1) + "), and an"
                    + " inter-layer evolution needs at least two. Name more tensors to analyse in the manifest's"
                    + " \"hidden_layers\" ('hav inspect' lists the candidates).";
        }

        @Override
        public Evolution.Result compute(AnalysisContext ctx, LayerInputs in) {
            return layers(ctx, in.epoch(), in.alignment());
        }
    };

    /** The inter-epoch evolution as an {@link Analysis}: one layer across checkpoints. */
    public static final Analysis<EpochInputs, Result> EPOCHS = new Analysis<>() {
        @Override
        public String id() {
            return "epochs";
        }

        @Override
        public EpochInputs inputs(AnalysisRun run) {
            return new EpochInputs(run.selection().layerOr(run.ctx()), run.selection().epochsOr(run.ctx()),
                    run.selection().epochAlignment());
        }

        @Override
        public String omission(AnalysisContext ctx, EpochInputs in) {
            if (in.epochs().size() >= 2) {
                return null;
            }
            return "Left out: " + (ctx.model().checkpoints().size() == 1
                    ? "the series has one checkpoint (epoch " + ctx.model().lastEpoch() + ")"
                    : "the report was given one epoch (" + in.epochs().get(0) + ")")
                    + ", and an inter-epoch evolution needs at least two.";
        }

        @Override
        public Evolution.Result compute(AnalysisContext ctx, EpochInputs in) {
            return epochs(ctx, in.layer(), in.epochs(), in.alignment());
        }
    };

    /** Inputs of {@link #LAYERS}: the checkpoint, and the alignment (null: {@link #defaultLayerAlignment}). */
    public record LayerInputs(int epoch, Alignment alignment) {}

    /** Inputs of {@link #EPOCHS}: the layer, the checkpoints in order, and the alignment (null: joint). */
    public record EpochInputs(int layer, List<Integer> epochs, Alignment alignment) {}

    private Evolution() {}

    /**
     * The default alignment of the layer sequence: joint (one t-SNE over all layers) when every hidden layer has
     * the same number of units, else dynamic t-SNE. Chosen by measurement (docs/design.md, benchmarks/alignment):
     * on mnist_mlp, chained and dynamic move the points between layers by less than a class's spread, so the
     * bundled trails end in tufts at the clusters; joint shows the flow between layers that the paper's figure shows.
     */
    public static Alignment defaultLayerAlignment(AnalysisContext ctx, int epoch) {
        int width = -1;
        for (int layer = 1; layer <= ctx.layerCount(); layer++) {
            int w = ctx.features(epoch, layer).cols();
            if (width >= 0 && w != width) {
                return Alignment.DYNAMIC;
            }
            width = w;
        }
        return Alignment.JOINT;
    }

    /**
     * Inter-layer evolution (notebook {@code inter_layer_evolution}): all hidden layers of the checkpoint of
     * {@code epoch}; a null {@code alignment} takes {@link #defaultLayerAlignment}.
     */
    public static Result layers(AnalysisContext ctx, int epoch, Alignment alignment) {
        if (ctx.layerCount() < 2) {
            throw new HavException("model " + ctx.model().name(), "has " + (ctx.layerCount() == 1
                    ? "one hidden layer (" + ctx.model().hiddenLayers().get(0) + ")" : "no hidden layer")
                    + "; an inter-layer evolution needs at least two",
                    "look at its layer with 'hav project --layer 1' or 'hav epochs --layer 1', or name more tensors"
                            + " to analyse in the manifest's \"hidden_layers\" ('hav inspect' lists the candidates)");
        }
        ctx.model().checkpoint(epoch);
        if (alignment == null) {
            alignment = defaultLayerAlignment(ctx, epoch);
        }
        List<FloatMatrix> snapshots = new ArrayList<>();
        List<int[]> labelsPerStep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<int[]> layerEpoch = new ArrayList<>();
        for (int layer = 1; layer <= ctx.layerCount(); layer++) {
            snapshots.add(ctx.features(epoch, layer));
            names.add("layer " + layer);
            layerEpoch.add(new int[] {layer, epoch});
            labelsPerStep.add(ctx.predicted(epoch));
        }
        return run(ctx, "layers", "inter-layer evolution at epoch " + epoch, snapshots, names, layerEpoch,
                labelsPerStep, alignment, "layers_epoch" + epoch, "depth: dark = layer 1, bright = layer " + ctx.layerCount(),
                "layer");
    }

    /** Inter-epoch evolution (notebook {@code inter_epoch_evolution}): one layer across the given checkpoints. */
    public static Result epochs(AnalysisContext ctx, int layer, List<Integer> epochs, Alignment alignment) {
        ctx.checkLayer(layer);
        if (alignment == null) {
            alignment = Alignment.JOINT; // "auto": one layer's snapshots share their units, and the notebook joins them
        }
        if (epochs.isEmpty()) {
            throw new HavException("--epochs", "the epoch list is empty",
                    "give at least two epochs, e.g. --epochs " + ctx.model().firstEpoch() + "," + ctx.model().lastEpoch());
        }
        if (epochs.size() < 2) {
            boolean single = ctx.model().checkpoints().size() == 1;
            throw new HavException(single ? "model " + ctx.model().name() : "--epochs " + epochs.get(0),
                    (single ? "has one checkpoint (epoch " + epochs.get(0) + ")" : "lists one epoch")
                            + "; an inter-epoch evolution needs at least two",
                    single ? "export a checkpoint per epoch into the folder (epoch_000.onnx, epoch_001.onnx, ...), or"
                            + " look at this one with 'hav project --epoch " + epochs.get(0) + "'"
                            : "give two or more, e.g. --epochs " + ctx.model().firstEpoch() + "," + ctx.model().lastEpoch());
        }
        for (int e : epochs) {
            ctx.model().checkpoint(e);
        }
        List<FloatMatrix> snapshots = new ArrayList<>();
        List<int[]> predictedPerStep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<int[]> layerEpoch = new ArrayList<>();
        for (int epoch : epochs) {
            snapshots.add(ctx.features(epoch, layer));
            names.add("epoch " + epoch);
            layerEpoch.add(new int[] {layer, epoch});
            predictedPerStep.add(ctx.predicted(epoch));
        }
        return run(ctx, "epochs", "inter-epoch evolution of layer " + layer, snapshots, names, layerEpoch,
                predictedPerStep, alignment, "epochs_layer" + layer,
                "training: dark = epoch " + epochs.get(0) + ", bright = epoch " + epochs.get(epochs.size() - 1), "epoch");
    }

    private static Result run(AnalysisContext ctx, String kind, String title, List<FloatMatrix> snapshots,
                              List<String> names, List<int[]> layerEpoch, List<int[]> predicted, Alignment alignment,
                              String stem, String brightnessNote, String depthLabel) {
        Projector projector = new Projector(ctx);
        List<Embedding> embeddings = projector.projectSequence(snapshots, alignment, title);
        int[] labels = ctx.labels();
        List<Step> steps = new ArrayList<>();
        List<FloatMatrix> positions = new ArrayList<>();
        for (int t = 0; t < snapshots.size(); t++) {
            Embedding e = embeddings.get(t);
            Quality q = projector.quality(snapshots.get(t), e, labels);
            int mis = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted.get(t)[i] != labels[i]) {
                    mis++;
                }
            }
            steps.add(new Step(names.get(t), layerEpoch.get(t)[0], layerEpoch.get(t)[1], e.points(), q, mis,
                    predicted.get(t)));
            positions.add(e.points());
        }
        List<FloatMatrix> normalised = Trails.normalise(positions, alignment == Alignment.JOINT);
        List<float[]> straight = Trails.of(normalised);
        Kdeeb.Bundled bundled;
        try (StageTimer.Stage s = ctx.timer().stage("bundling")) {
            bundled = ctx.options().bundle() ? Kdeeb.bundleWithDepth(straight, labels, BundlingParameters.defaults())
                    : new Kdeeb.Bundled(straight, null);
        }
        return new Result(kind, alignment, steps, straight, bundled, Kdeeb.totalLength(straight),
                Kdeeb.totalLength(bundled.trails()), Trails.coveredArea(straight),
                Trails.coveredArea(bundled.trails()), title, stem, brightnessNote, depthLabel);
    }
}
