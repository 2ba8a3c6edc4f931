package org.hiddenactivity.analysis;

import java.nio.file.Path;
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
    /** One step of the sequence: a layer or an epoch. */
    public record Step(String label, int layer, int epoch, FloatMatrix points, Quality quality, int misclassified,
                       Figures.Files thumbnail) {}

    /** The outcome of a sequence analysis. */
    public record Result(String kind, Alignment alignment, List<Step> steps, Figures.Files trails, Figures.Files trace,
                         double inkBefore, double inkAfter, double areaBefore, double areaAfter, Path dir) {
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
    public static Result layers(AnalysisContext ctx, int epoch, Alignment alignment, Path dir) {
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
                labelsPerStep, alignment, dir, "layers_epoch" + epoch, "depth: dark = layer 1, bright = layer " + ctx.layerCount(),
                "layer");
    }

    /** Inter-epoch evolution (notebook {@code inter_epoch_evolution}): one layer across the given checkpoints. */
    public static Result epochs(AnalysisContext ctx, int layer, List<Integer> epochs, Alignment alignment, Path dir) {
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
                predictedPerStep, alignment, dir, "epochs_layer" + layer,
                "training: dark = epoch " + epochs.get(0) + ", bright = epoch " + epochs.get(epochs.size() - 1), "epoch");
    }

    private static Result run(AnalysisContext ctx, String kind, String title, List<FloatMatrix> snapshots,
                              List<String> names, List<int[]> layerEpoch, List<int[]> predicted, Alignment alignment,
                              Path dir, String stem, String brightnessNote, String depthLabel) {
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
            String stepStem = stem + "_" + names.get(t).replace(' ', '_');
            Npy.write(dir.resolve(stepStem + "_points.npy"), e.points());
            ProjectionCsv.observations(dir.resolve(stepStem + ".csv"), e.points(), labels, predicted.get(t),
                    ctx.data().classNames(), layerEpoch.get(t)[0], layerEpoch.get(t)[1]);
            Figures.Files thumb;
            try (StageTimer.Stage s = ctx.timer().stage("rendering")) {
                thumb = Figures.scatter(dir.resolve(stepStem + ".png"), e.points(), labels, predicted.get(t),
                        ctx.data().classNames(), ctx.model().name() + ": " + names.get(t),
                        String.format("%s alignment, neighbourhood hit %.3f, trustworthiness %.3f; x = misclassified",
                                alignment.id(), q.neighbourhoodHit(), q.trustworthiness()),
                        ctx.options().imageSize());
            }
            steps.add(new Step(names.get(t), layerEpoch.get(t)[0], layerEpoch.get(t)[1], e.points(), q, mis, thumb));
            positions.add(e.points());
        }
        Npy.write(dir.resolve(stem + "_targets.npy"), labels);
        List<FloatMatrix> normalised = Trails.normalise(positions, alignment == Alignment.JOINT);
        List<float[]> straight = Trails.of(normalised);
        Kdeeb.Bundled bundled;
        try (StageTimer.Stage s = ctx.timer().stage("bundling")) {
            bundled = ctx.options().bundle() ? Kdeeb.bundleWithDepth(straight, labels, BundlingParameters.defaults())
                    : new Kdeeb.Bundled(straight, null);
        }
        double inkBefore = Kdeeb.totalLength(straight);
        double inkAfter = Kdeeb.totalLength(bundled.trails());
        double areaBefore = Trails.coveredArea(straight);
        double areaAfter = Trails.coveredArea(bundled.trails());
        Figures.Files trails;
        Figures.Files trace;
        try (StageTimer.Stage s = ctx.timer().stage("rendering")) {
            trails = Figures.trails(dir.resolve(stem + "_trails.png"), bundled.trails(), bundled.depths(), labels,
                    ctx.data().classNames(), ctx.model().name() + ": " + title + (ctx.options().bundle() ? " (bundled)" : ""),
                    alignment.id() + " alignment; hue = class; " + brightnessNote, depthLabel, ctx.options().imageSize(), false);
            trace = Figures.trails(dir.resolve(stem + "_trace.png"), straight, null, labels,
                    ctx.data().classNames(), ctx.model().name() + ": " + title + " (trace)",
                    alignment.id() + " alignment; unbundled, later segments more opaque; " + brightnessNote, depthLabel,
                    ctx.options().imageSize(), true);
        }
        Result r = new Result(kind, alignment, steps, trails, trace, inkBefore, inkAfter, areaBefore, areaAfter,
                dir);
        Results.writeJson(dir.resolve(stem + ".json"), r.numbers(), ctx.provenance(kind));
        return r;
    }
}
