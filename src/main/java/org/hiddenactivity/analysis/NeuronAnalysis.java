package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Seeds;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.neurons.ExtraTrees;
import org.hiddenactivity.neurons.Mds;
import org.hiddenactivity.neurons.NeuronDissimilarity;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.Embedding;

/**
 * The two neuron analyses of the notebook: neuron projections coloured by importance for one class
 * ({@code compare_projections}) and discriminative neuron maps ({@code compare_discriminative_map}), each
 * before (first checkpoint) and after (last checkpoint) training. The after-training map is laid out on its own
 * and then Procrustes-aligned onto the before map over the neurons alive in both, and both maps share one colour
 * scale, so a neuron can be followed across training. With a single checkpoint there is one map, labelled so.
 */
public final class NeuronAnalysis {
    /** Trees per forest, as scikit-learn's default. */
    static final int TREES = 100;

    /** How neurons are placed in 2-D. */
    public enum Layout {
        /** Metric MDS (SMACOF) of 1 - |r|: the notebook's choice. */
        MDS,
        /** t-SNE of 1 - |r| as a precomputed dissimilarity: the paper's choice, and the report's default. */
        TSNE;

        /** The layout of every command and the report when none is named. */
        public static final Layout DEFAULT = TSNE;

        public static Layout parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "mds" -> MDS;
                case "tsne", "t-sne" -> TSNE;
                default -> throw new HavException("--neuron-layout " + s, "unknown neuron layout", "use tsne or mds");
            };
        }

        /** How a reader should read the layout's name. */
        public String describe() {
            return this == MDS ? "metric MDS (the notebook's layout)" : "t-SNE (the paper's layout)";
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The neurons of one layer at one checkpoint, placed in 2-D.
     *
     * @param points      live neurons only, in the order of {@code live}
     * @param stress      stress-1 of an MDS layout (NaN for t-SNE)
     * @param klDivergence KL divergence of a t-SNE layout (NaN for MDS)
     */
    public record NeuronLayout(int epoch, FloatMatrix points, int[] live, int[] dead, double stress,
                               double klDivergence) {
        public int units() {
            return live.length + dead.length;
        }
    }

    /**
     * The neuron maps of one layer, computed once and shared by every neuron figure of a run: the layout of the
     * first checkpoint ({@code before}, null when the series has one checkpoint) and of the last ({@code after},
     * aligned onto {@code before}), and the one-vs-rest importances of each class, computed when first asked for.
     */
    public static final class Study implements Analysis.Result {
        private final AnalysisContext ctx;
        private final int layer;
        private final Layout layout;
        private final NeuronLayout before;
        private final NeuronLayout after;
        private final Procrustes.Transform alignment;
        private final NeuronLayout unaligned;
        private final double[][][] importance = new double[2][][];

        private Study(AnalysisContext ctx, int layer, Layout layout, NeuronLayout before, NeuronLayout after,
                      Procrustes.Transform alignment, NeuronLayout unaligned) {
            this.unaligned = unaligned;
            this.ctx = ctx;
            this.layer = layer;
            this.layout = layout;
            this.before = before;
            this.after = after;
            this.alignment = alignment;
            for (int side = 0; side < 2; side++) {
                importance[side] = new double[ctx.classes()][];
            }
        }

        public int layer() { return layer; }

        public Layout layout() { return layout; }

        /** The first checkpoint's map, or null when there is only one checkpoint. */
        public NeuronLayout before() { return before; }

        /** The last checkpoint's map (aligned onto {@link #before()} when there is one). */
        public NeuronLayout after() { return after; }

        /** True when there are two checkpoints to compare. */
        public boolean comparison() { return before != null; }

        /** The similarity transform that put the after map over the before map (identity without one). */
        public Procrustes.Transform alignment() { return alignment; }

        /** The last checkpoint's map as its projection found it, before the alignment. */
        public NeuronLayout afterUnaligned() { return unaligned; }

        /** The maps in time order: [before, after] or [after]. */
        public List<NeuronLayout> maps() {
            return before == null ? List.of(after) : List.of(before, after);
        }

        /** Importance of every neuron for telling {@code label} from the rest at the checkpoint of {@code map}. */
        public synchronized double[] importance(NeuronLayout map, int label) {
            checkLabel(ctx, label);
            int side = map == after ? 1 : 0;
            if (importance[side][label] == null) {
                importance[side][label] = importanceFor(ctx, layer, map.epoch(), label);
            }
            return importance[side][label];
        }

        /** {@code [class][neuron]} importances at the checkpoint of {@code map} (all classes at once). */
        public synchronized double[][] allImportances(NeuronLayout map) {
            int side = map == after ? 1 : 0;
            boolean missing = false;
            for (double[] row : importance[side]) {
                missing |= row == null;
            }
            if (missing) {
                double[][] all = oneVsRest(ctx, layer, map.epoch());
                for (int c = 0; c < all.length; c++) {
                    if (importance[side][c] == null) {
                        importance[side][c] = all[c];
                    }
                }
            }
            return importance[side].clone();
        }

        /** The caption of a map: its epoch, and when it is the only one, that there is nothing to compare. */
        String caption(NeuronLayout map) {
            if (!comparison()) {
                return "epoch " + map.epoch() + " (the only checkpoint: no before/after comparison)";
            }
            return (map == before ? "before training, epoch " : "after training, epoch ") + map.epoch();
        }

        /** Interleaved x, y of every map's points: the frame all figures (and the explorer) of this study share. */
        public float[] frame() {
            int total = 0;
            for (NeuronLayout m : maps()) {
                total += m.points().data().length;
            }
            float[] all = new float[total];
            int off = 0;
            for (NeuronLayout m : maps()) {
                System.arraycopy(m.points().data(), 0, all, off, m.points().data().length);
                off += m.points().data().length;
            }
            return all;
        }

        /** The layer, the layout and the checkpoints of the maps (report.json has them with each neuron result). */
        @Override
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("projection", layout.id());
            m.put("epochs", maps().stream().map(NeuronLayout::epoch).toList());
            return m;
        }

        @Override
        public Map<String, String> omittedParts() {
            return comparison() ? Map.of() : Map.of("before_after", "Left out: the series has one checkpoint (epoch "
                    + after.epoch() + "), so there is no before/after training comparison; the neuron maps show that"
                    + " checkpoint alone.");
        }

        String layoutNote() {
            return (layout == Layout.TSNE ? "t-SNE" : "metric MDS") + " of 1 - |Pearson r|"
                    + (comparison() ? "; after map Procrustes-aligned to before" : "");
        }
    }

    /** Neuron projection for one class, before and after training ({@code before} null with one checkpoint). */
    public record ProjectionResult(int layer, int label, Layout layout, NeuronLayout before, NeuronLayout after,
                                   double[] importanceBefore, double[] importanceAfter, Study study) {
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("label", label);
            m.put("projection", layout.id());
            if (before != null) {
                m.put("before", side(before, importanceBefore));
            } else {
                m.put("before", null);
                m.put("comparison", ONE_CHECKPOINT);
            }
            m.put("after", side(after, importanceAfter));
            return m;
        }

        /** The figure under {@code figureKey}, the layouts (points, live neurons, importance, CSV) and the JSON. */
        List<Output> outputs(AnalysisContext ctx, String figureKey) {
            String stem = "neurons_layer" + layer + "_class" + label + "_" + layout.id();
            String className = ctx.data().classNames().get(label);
            List<Output> out = new ArrayList<>();
            out.add(new Output.Figure(figureKey, stem, () -> Figures.neuronImportance(study, importanceBefore,
                    importanceAfter, ctx.model().name() + ": layer " + layer + " neurons, importance for '"
                            + className + "' vs rest", study.layoutNote() + "; one colour scale",
                    ctx.options().imageSize())));
            if (before != null) {
                layoutFiles(ctx, out, stem + "_before", layer, before, importanceBefore);
            }
            layoutFiles(ctx, out, stem + "_after", layer, after, importanceAfter);
            out.add(new Output.Data(stem + ".json", f -> Results.writeJson(f, numbers(), ctx.provenance("neurons"))));
            return out;
        }
    }

    /** The neuron projections of one or more classes, from one study. */
    public record Projections(List<ProjectionResult> perLabel) implements Analysis.Result {
        /** Key of the {@code i}-th class's figure ("figure" for the first, so that one class reads as before). */
        public static String figureKey(int i) {
            return i == 0 ? "figure" : "figure_" + i;
        }

        /** With one class its numbers; with several, {@code "per_label"}: the list of them. */
        @Override
        public Map<String, Object> numbers() {
            if (perLabel.size() == 1) {
                return perLabel.get(0).numbers();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("per_label", perLabel.stream().map(ProjectionResult::numbers).toList());
            return m;
        }

        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            List<Output> out = new ArrayList<>();
            for (int i = 0; i < perLabel.size(); i++) {
                out.addAll(perLabel.get(i).outputs(ctx, figureKey(i)));
            }
            return out;
        }
    }

    /** Discriminative neuron map, before and after training ({@code before} null with one checkpoint). */
    public record DiscriminativeResult(int layer, Layout layout, NeuronLayout before, NeuronLayout after,
                                       double[][] importanceBefore, double[][] importanceAfter, Study study)
            implements Analysis.Result {
        /** Key of the figure in the written outputs. */
        public static final String FIGURE = "figure";

        @Override
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("projection", layout.id());
            if (before != null) {
                m.put("before", discriminativeSide(before, importanceBefore));
            } else {
                m.put("before", null);
                m.put("comparison", ONE_CHECKPOINT);
            }
            m.put("after", discriminativeSide(after, importanceAfter));
            return m;
        }

        /** The figure, each map's points and a CSV with each neuron's class, and the JSON. */
        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            String stem = "discriminative_layer" + layer;
            List<String> classNames = ctx.data().classNames();
            List<Output> out = new ArrayList<>();
            out.add(new Output.Figure(FIGURE, stem, () -> Figures.discriminative(study, importanceBefore,
                    importanceAfter, classNames, ctx.model().name() + ": discriminative neuron map, layer " + layer,
                    study.layoutNote(), ctx.options().imageSize())));
            if (before != null) {
                out.add(new Output.Data(stem + "_before_points.npy", f -> Npy.write(f, before.points())));
                out.add(new Output.Data(stem + "_before.csv", f -> ProjectionCsv.neurons(f, before.units(),
                        before.points(), before.live(), null, mostImportantClass(importanceBefore), classNames, layer,
                        before.epoch())));
            }
            out.add(new Output.Data(stem + "_after_points.npy", f -> Npy.write(f, after.points())));
            out.add(new Output.Data(stem + "_after.csv", f -> ProjectionCsv.neurons(f, after.units(), after.points(),
                    after.live(), null, mostImportantClass(importanceAfter), classNames, layer, after.epoch())));
            out.add(new Output.Data(stem + ".json", f -> Results.writeJson(f, numbers(),
                    ctx.provenance("discriminative"))));
            return out;
        }
    }

    /** Every class's importance map as small multiples (a figure only; its numbers are the discriminative map's). */
    public record ImportanceGrid(Study study) implements Analysis.Result {
        /** Key of the figure in the written outputs. */
        public static final String FIGURE = "figure";

        @Override
        public Map<String, Object> numbers() {
            return new LinkedHashMap<>();
        }

        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            Study s = study;
            return List.of(new Output.Figure(FIGURE, "neurons_layer" + s.layer() + "_all_classes_" + s.layout().id(),
                    () -> Figures.importanceGrid(s, s.comparison() ? s.allImportances(s.before()) : null,
                            s.allImportances(s.after()), ctx.data().classNames(),
                            ctx.model().name() + ": layer " + s.layer() + " neurons, importance for each class vs rest"
                                    + (s.comparison() ? " (top: epoch " + s.before().epoch() + ", bottom: epoch "
                                    + s.after().epoch() + ")" : " (epoch " + s.after().epoch()
                                    + ", the only checkpoint)"),
                            ctx.options().imageSize())));
        }
    }

    /** Why a single checkpoint gives one map. */
    public static final String ONE_CHECKPOINT = "left out: the series has one checkpoint, so there is no before/after"
            + " comparison; the map shows that checkpoint alone";

    private NeuronAnalysis() {}

    /**
     * Lays out the neurons of {@code layer} at the first and the last checkpoint (one map when they are the same),
     * the after map aligned onto the before map.
     */
    public static Study study(AnalysisContext ctx, int layer, Layout layout) {
        ctx.checkLayer(layer);
        int first = ctx.model().checkpoints().get(0).epoch();
        int last = ctx.model().lastEpoch();
        NeuronLayout after = layout(ctx, layer, last, layout);
        if (first == last) {
            Warnings.notice("model " + ctx.model().name() + " has one checkpoint (epoch " + last
                    + "): the neuron maps show it alone, with no before/after comparison");
            return new Study(ctx, layer, layout, null, after, Procrustes.Transform.IDENTITY, after);
        }
        NeuronLayout before = layout(ctx, layer, first, layout);
        Procrustes.Transform t = alignAfterToBefore(before, after);
        NeuronLayout aligned = new NeuronLayout(after.epoch(), t.apply(after.points()), after.live(), after.dead(),
                after.stress(), after.klDivergence());
        return new Study(ctx, layer, layout, before, aligned, t, after);
    }

    /** The transform fitted on the neurons alive in both maps (identity when fewer than 3 are). */
    static Procrustes.Transform alignAfterToBefore(NeuronLayout before, NeuronLayout after) {
        int[] posBefore = positions(before);
        List<float[]> src = new ArrayList<>();
        List<float[]> dst = new ArrayList<>();
        for (int k = 0; k < after.live().length; k++) {
            int b = posBefore[after.live()[k]];
            if (b >= 0) {
                src.add(after.points().row(k));
                dst.add(before.points().row(b));
            }
        }
        if (src.size() < 3) {
            return Procrustes.Transform.IDENTITY;
        }
        return Procrustes.fit(FloatMatrix.of(src.toArray(new float[0][])), FloatMatrix.of(dst.toArray(new float[0][])));
    }

    /** For each neuron of the layer, its row in {@code map.points()}, or -1 when it is dead there. */
    public static int[] positions(NeuronLayout map) {
        int[] pos = new int[map.units()];
        java.util.Arrays.fill(pos, -1);
        for (int k = 0; k < map.live().length; k++) {
            pos[map.live()[k]] = k;
        }
        return pos;
    }

    /** Neuron projection of {@code layer} coloured by the importance of each neuron for telling {@code label} from the rest. */
    public static ProjectionResult projection(AnalysisContext ctx, int layer, int label, Layout layout) {
        ctx.checkLayer(layer);
        checkLabel(ctx, label);
        return projection(study(ctx, layer, layout), label);
    }

    /** The neuron projection for {@code label} from the maps of {@code s}. */
    public static ProjectionResult projection(Study s, int label) {
        checkLabel(s.ctx, label);
        double[] impAfter = s.importance(s.after(), label);
        double[] impBefore = s.comparison() ? s.importance(s.before(), label) : null;
        return new ProjectionResult(s.layer(), label, s.layout(), s.before(), s.after(), impBefore, impAfter, s);
    }

    /** Discriminative neuron map of {@code layer} laid out by metric MDS (the notebook's layout). */
    public static DiscriminativeResult discriminative(AnalysisContext ctx, int layer) {
        return discriminative(study(ctx, layer, Layout.MDS));
    }

    /** Discriminative neuron map from the maps of {@code s}: each neuron coloured by the class it is most important for. */
    public static DiscriminativeResult discriminative(Study s) {
        double[][] impAfter = s.allImportances(s.after());
        double[][] impBefore = s.comparison() ? s.allImportances(s.before()) : null;
        return new DiscriminativeResult(s.layer(), s.layout(), s.before(), s.after(), impBefore, impAfter, s);
    }

    /** Inputs of {@link #MAPS}: the layer and how its neurons are laid out. */
    public record MapInputs(int layer, Layout layout) {}

    /** Inputs of {@link #NEURONS}: the maps and the classes whose importance colours them. */
    public record ProjectionInputs(Study study, int[] labels) {}

    /** Inputs of the analyses drawn from the maps alone ({@link #DISCRIMINATIVE}, {@link #IMPORTANCE_GRID}). */
    public record StudyInputs(Study study) {}

    /** The neuron maps of one layer before and after training, shared by every neuron analysis of a run. */
    public static final Analysis<MapInputs, Study> MAPS = new Analysis<>() {
        @Override
        public String id() {
            return "neuron_maps";
        }

        @Override
        public MapInputs inputs(AnalysisRun run) {
            return new MapInputs(run.selection().layerOr(run.ctx()), run.selection().neuronLayout());
        }

        @Override
        public Study compute(AnalysisContext ctx, MapInputs in) {
            return study(ctx, in.layer(), in.layout());
        }

        @Override
        public void report(Study result, Map<String, Object> results) {
            // report.json has the maps inside "neurons" and "discriminative"
        }
    };

    /**
     * Neuron projections coloured by one class's importance, for each selected class; without a selection the
     * classes the last layer separates worst and best (from the layer sequence, else the activation projection).
     */
    public static final Analysis<ProjectionInputs, Projections> NEURONS = new Analysis<>() {
        @Override
        public String id() {
            return "neurons";
        }

        @Override
        public ProjectionInputs inputs(AnalysisRun run) {
            int[] labels = run.selection().labels();
            if (labels != null) {
                for (int label : labels) {
                    checkLabel(run.ctx(), label);  // before the maps are computed
                }
            } else {
                Evolution.Result layers = run.optional(Evolution.LAYERS);
                labels = defaultLabels(layers != null ? layers.steps().get(layers.steps().size() - 1).quality()
                        .perClassHit() : run.result(ActivationProjection.ANALYSIS).quality().perClassHit());
            }
            return new ProjectionInputs(run.result(MAPS), labels);
        }

        @Override
        public Projections compute(AnalysisContext ctx, ProjectionInputs in) {
            List<ProjectionResult> out = new ArrayList<>();
            for (int label : in.labels()) {
                out.add(projection(in.study(), label));
            }
            return new Projections(out);
        }

        @Override
        public void report(Projections result, Map<String, Object> results) {
            results.put(id(), result.perLabel().stream().map(ProjectionResult::numbers).toList());
        }
    };

    /** The discriminative neuron map of the run's neuron maps. */
    public static final Analysis<StudyInputs, DiscriminativeResult> DISCRIMINATIVE = new Analysis<>() {
        @Override
        public String id() {
            return "discriminative";
        }

        @Override
        public StudyInputs inputs(AnalysisRun run) {
            return new StudyInputs(run.result(MAPS));
        }

        @Override
        public DiscriminativeResult compute(AnalysisContext ctx, StudyInputs in) {
            return discriminative(in.study());
        }
    };

    /**
     * Small multiples: the importance map of every class, before (top row) and after training (bottom row), on one
     * frame and one colour scale per class, as one figure.
     */
    public static final Analysis<StudyInputs, ImportanceGrid> IMPORTANCE_GRID = new Analysis<>() {
        @Override
        public String id() {
            return "importance_grid";
        }

        @Override
        public StudyInputs inputs(AnalysisRun run) {
            return new StudyInputs(run.result(MAPS));
        }

        @Override
        public ImportanceGrid compute(AnalysisContext ctx, StudyInputs in) {
            in.study().allImportances(in.study().after());
            if (in.study().comparison()) {
                in.study().allImportances(in.study().before());
            }
            return new ImportanceGrid(in.study());
        }

        @Override
        public void report(ImportanceGrid result, Map<String, Object> results) {
            // a figure only
        }
    };

    /** The classes the last layer separates worst and best: the most and least interesting neuron maps. */
    public static int[] defaultLabels(double[] perClass) {
        int worst = argMin(perClass);
        int best = argMax(perClass);
        return worst == best ? new int[] {worst} : new int[] {worst, best};
    }

    private static int argMin(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] < v[arg])) {
                arg = i;
            }
        }
        return arg;
    }

    private static int argMax(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] > v[arg])) {
                arg = i;
            }
        }
        return arg;
    }

    static void checkLabel(AnalysisContext ctx, int label) {
        if (label < 0 || label >= ctx.classes()) {
            throw new HavException("--label " + label, "no such class; the dataset has classes 0.." + (ctx.classes() - 1),
                    "pick one of " + ctx.data().classNames());
        }
    }

    static NeuronLayout layout(AnalysisContext ctx, int layer, int epoch, Layout layout) {
        FloatMatrix acts = ctx.activations(epoch, layer).values();
        NeuronDissimilarity d;
        try (StageTimer.Stage s = ctx.timer().stage("neuron dissimilarity")) {
            d = NeuronDissimilarity.of(acts);
        }
        int m = d.live().length;
        if (m < 2) {
            return new NeuronLayout(epoch, FloatMatrix.zeros(m, 2), d.live(), d.dead(), Double.NaN, Double.NaN);
        }
        if (layout == Layout.MDS) {
            try (StageTimer.Stage s = ctx.timer().stage("neuron MDS")) {
                Mds.Result r = Mds.fit(d, Mds.Parameters.defaults().withThreads(ctx.options().cpuThreads()));
                return new NeuronLayout(epoch, r.points(), d.live(), d.dead(), r.stress1(), Double.NaN);
            }
        }
        try (StageTimer.Stage s = ctx.timer().stage("neuron t-SNE");
             Progress progress = ctx.progress("neuron t-SNE", ctx.options().tsneParameters().maxIter())) {
            // few neurons: embedPrecomputed lowers the perplexity by the shared rule (TsneParameters.forPoints), warned
            var p = ctx.options().tsneParameters();
            Embedding e = new CpuTsne(ctx.options().threads()).embedPrecomputed(d.distances(), m, p, progress);
            return new NeuronLayout(epoch, e.points(), d.live(), d.dead(), Double.NaN, e.klDivergence());
        }
    }

    /** One-vs-rest importance for {@code label} with the seed {@link ExtraTrees#oneVsRest} gives that class. */
    private static double[] importanceFor(AnalysisContext ctx, int layer, int epoch, int label) {
        FloatMatrix acts = ctx.activations(epoch, layer).values();
        int[] y = new int[ctx.labels().length];
        boolean present = false;
        for (int i = 0; i < y.length; i++) {
            y[i] = ctx.labels()[i] == label ? 1 : 0;
            present |= y[i] == 1;
        }
        if (!present) {
            // as oneVsRest: a class absent from the sample gives every neuron importance 0
            return new double[acts.cols()];
        }
        try (StageTimer.Stage s = ctx.timer().stage("feature importance")) {
            return ExtraTrees.importances(acts, y, TREES, ctx.seeds().of(Seeds.Stream.NEURON_IMPORTANCE) + label,
                    ctx.options().cpuThreads());
        }
    }

    private static double[][] oneVsRest(AnalysisContext ctx, int layer, int epoch) {
        FloatMatrix acts = ctx.activations(epoch, layer).values();
        try (StageTimer.Stage s = ctx.timer().stage("feature importance")) {
            return ExtraTrees.oneVsRest(acts, ctx.labels(), ctx.classes(), TREES,
                    ctx.seeds().of(Seeds.Stream.NEURON_IMPORTANCE), ctx.options().cpuThreads());
        }
    }

    private static void layoutFiles(AnalysisContext ctx, List<Output> out, String stem, int layer,
                                    NeuronLayout layout, double[] importance) {
        out.add(new Output.Data(stem + "_points.npy", f -> Npy.write(f, layout.points())));
        out.add(new Output.Data(stem + "_live.npy", f -> Npy.write(f, layout.live())));
        out.add(new Output.Data(stem + "_importance.npy", f -> Npy.write(f, importance)));
        out.add(new Output.Data(stem + ".csv", f -> ProjectionCsv.neurons(f, layout.units(), layout.points(),
                layout.live(), importance, null, ctx.data().classNames(), layer, layout.epoch())));
    }

    private static Map<String, Object> side(NeuronLayout l, double[] importance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", l.epoch());
        m.put("neurons", l.live().length + l.dead().length);
        m.put("dead_neurons", l.dead().length);
        m.put("dead_indices", l.dead());
        m.put("stress", l.stress());
        m.put("kl_divergence", l.klDivergence());
        m.put("importance", importance);
        m.put("neurons_holding_half_the_importance", neuronsHolding(importance, 0.5));
        return m;
    }

    private static Map<String, Object> discriminativeSide(NeuronLayout l, double[][] importance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", l.epoch());
        m.put("neurons", l.live().length + l.dead().length);
        m.put("dead_neurons", l.dead().length);
        m.put("dead_indices", l.dead());
        int[] best = mostImportantClass(importance);
        int[] perClass = new int[importance.length];
        for (int b : best) {
            if (b >= 0) {
                perClass[b]++;
            }
        }
        m.put("neuron_class", best);
        m.put("neurons_per_class", perClass);
        m.put("specialisation", specialisation(importance));
        double[] hits = classNeighbourhood(l, importance);
        double sum = 0;
        int counted = 0;
        for (double h : hits) {
            if (!Double.isNaN(h)) {
                sum += h;
                counted++;
            }
        }
        m.put("top_class_neighbourhood_hit_k6", counted == 0 ? Double.NaN : sum / counted);
        m.put("top_class_neighbourhood_hit_chance", classChance(l, importance));
        return m;
    }

    /** Neighbours a neuron map is judged by: each neuron's 6 nearest neurons in the 2-D map. */
    public static final int NEURON_NEIGHBOURS = 6;

    /**
     * How much a neuron map groups neurons by discriminative class: for each live neuron (in the order of
     * {@code l.live()}), the fraction of its 6 nearest neurons in the map that are most important for the same
     * class; NaN for a neuron important for no class. Neurons without a class count as a class of their own.
     */
    public static double[] classNeighbourhood(NeuronLayout l, double[][] importance) {
        int[] best = mostImportantClass(importance);
        int[] labels = new int[l.live().length];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = best[l.live()[k]] < 0 ? importance.length : best[l.live()[k]];
        }
        double[] hits = NeighbourhoodHits.perObservation(l.points(), labels, NEURON_NEIGHBOURS);
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] == importance.length) {
                hits[k] = Double.NaN;
            }
        }
        return hits;
    }

    /** The hit a map would get by chance: the sum over classes of the squared share of live neurons in each. */
    public static double classChance(NeuronLayout l, double[][] importance) {
        int[] best = mostImportantClass(importance);
        double[] share = new double[importance.length + 1];
        for (int j : l.live()) {
            share[best[j] < 0 ? importance.length : best[j]] += 1.0 / l.live().length;
        }
        double chance = 0;
        for (double q : share) {
            chance += q * q;
        }
        return chance;
    }

    /** For each neuron, the class it is most important for (-1 if it has no importance at all). */
    static int[] mostImportantClass(double[][] importance) {
        int neurons = importance.length == 0 ? 0 : importance[0].length;
        int[] best = new int[neurons];
        for (int j = 0; j < neurons; j++) {
            int arg = -1;
            double max = 0;
            for (int c = 0; c < importance.length; c++) {
                if (importance[c][j] > max) {
                    max = importance[c][j];
                    arg = c;
                }
            }
            best[j] = arg;
        }
        return best;
    }

    /**
     * Mean over neurons of the share of a neuron's total importance that goes to its top class:
     * 1/C for a neuron equally useful to all classes, 1 for one that serves a single class.
     */
    static double specialisation(double[][] importance) {
        int neurons = importance.length == 0 ? 0 : importance[0].length;
        double sum = 0;
        int counted = 0;
        for (int j = 0; j < neurons; j++) {
            double total = 0;
            double max = 0;
            for (double[] perClass : importance) {
                total += perClass[j];
                max = Math.max(max, perClass[j]);
            }
            if (total > 0) {
                sum += max / total;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The smallest number of neurons whose importances add up to {@code share} of the total (specialisation). */
    static int neuronsHolding(double[] importance, double share) {
        double[] sorted = importance.clone();
        java.util.Arrays.sort(sorted);
        double total = 0;
        for (double v : sorted) {
            total += v;
        }
        double acc = 0;
        int count = 0;
        for (int i = sorted.length - 1; i >= 0 && acc < share * total; i--) {
            acc += sorted[i];
            count++;
        }
        return count;
    }

    static List<Integer> listOf(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }
}
