package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.neurons.ExtraTrees;
import org.hiddenactivity.neurons.Mds;
import org.hiddenactivity.neurons.NeuronDissimilarity;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.core.Progress;

/**
 * The two neuron analyses of the notebook: neuron projections coloured by importance for one class
 * ({@code compare_projections}) and discriminative neuron maps ({@code compare_discriminative_map}), each
 * before (first checkpoint) and after (last checkpoint) training.
 */
public final class NeuronAnalysis {
    /** Trees per forest, as scikit-learn's default. */
    static final int TREES = 100;

    /** How neurons are placed in 2-D. */
    public enum Layout {
        MDS, TSNE;

        public static Layout parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "mds" -> MDS;
                case "tsne", "t-sne" -> TSNE;
                default -> throw new HavException("--projection " + s, "unknown neuron projection", "use mds or tsne");
            };
        }
    }

    /** The neurons of one layer at one checkpoint, placed in 2-D. */
    public record NeuronLayout(int epoch, FloatMatrix points /* live neurons only */, int[] live, int[] dead, double stress) {}

    /** Neuron projection for one class, before and after training. */
    public record ProjectionResult(int layer, int label, Layout layout, NeuronLayout before, NeuronLayout after,
                                   double[] importanceBefore, double[] importanceAfter, Figures.Files figure, Path dir) {
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("label", label);
            m.put("projection", layout.name().toLowerCase(java.util.Locale.ROOT));
            m.put("before", side(before, importanceBefore));
            m.put("after", side(after, importanceAfter));
            return m;
        }
    }

    /** Discriminative neuron map, before and after training. */
    public record DiscriminativeResult(int layer, NeuronLayout before, NeuronLayout after, double[][] importanceBefore,
                                       double[][] importanceAfter, Figures.Files figure, Path dir) {
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("before", discriminativeSide(before, importanceBefore));
            m.put("after", discriminativeSide(after, importanceAfter));
            return m;
        }
    }

    private NeuronAnalysis() {}

    /** Neuron projection of {@code layer} coloured by the importance of each neuron for telling {@code label} from the rest. */
    public static ProjectionResult projection(AnalysisContext ctx, int layer, int label, Layout layout, Path dir) {
        ctx.checkLayer(layer);
        checkLabel(ctx, label);
        int first = ctx.model().checkpoints().get(0).epoch();
        int last = ctx.model().lastEpoch();
        NeuronLayout before = layout(ctx, layer, first, layout);
        NeuronLayout after = layout(ctx, layer, last, layout);
        double[] impBefore = importanceFor(ctx, layer, first, label);
        double[] impAfter = importanceFor(ctx, layer, last, label);
        String stem = "neurons_layer" + layer + "_class" + label + "_" + layout.name().toLowerCase(java.util.Locale.ROOT);
        Figures.Files fig;
        try (StageTimer.Stage s = ctx.timer().stage("rendering")) {
            fig = Figures.neuronImportance(dir.resolve(stem + ".png"), before, impBefore, after, impAfter,
                    ctx.model().name() + ": layer " + layer + " neurons, importance for '" + ctx.data().classNames().get(label) + "' vs rest",
                    "epoch " + before.epoch(), "epoch " + after.epoch(),
                    layout.name() + " of 1 - |Pearson r|; colour = extremely randomized trees importance (MDI)",
                    ctx.options().imageSize());
        }
        writeLayout(dir, stem + "_before", before, impBefore);
        writeLayout(dir, stem + "_after", after, impAfter);
        ProjectionResult r = new ProjectionResult(layer, label, layout, before, after, impBefore, impAfter, fig, dir);
        Results.writeJson(dir.resolve(stem + ".json"), r.numbers(), ctx.provenance("neurons"));
        return r;
    }

    /** Discriminative neuron map of {@code layer}: each neuron coloured by the class it is most important for. */
    public static DiscriminativeResult discriminative(AnalysisContext ctx, int layer, Path dir) {
        ctx.checkLayer(layer);
        int first = ctx.model().checkpoints().get(0).epoch();
        int last = ctx.model().lastEpoch();
        NeuronLayout before = layout(ctx, layer, first, Layout.MDS);
        NeuronLayout after = layout(ctx, layer, last, Layout.MDS);
        double[][] impBefore = oneVsRest(ctx, layer, first);
        double[][] impAfter = oneVsRest(ctx, layer, last);
        String stem = "discriminative_layer" + layer;
        Figures.Files fig;
        try (StageTimer.Stage s = ctx.timer().stage("rendering")) {
            fig = Figures.discriminative(dir.resolve(stem + ".png"), before, impBefore, after, impAfter,
                    ctx.data().classNames(), ctx.model().name() + ": discriminative neuron map, layer " + layer,
                    "epoch " + before.epoch(), "epoch " + after.epoch(),
                    "colour = class the neuron is most important for; opacity = importance normalised within that class",
                    ctx.options().imageSize());
        }
        Npy.write(dir.resolve(stem + "_before_points.npy"), before.points());
        Npy.write(dir.resolve(stem + "_after_points.npy"), after.points());
        DiscriminativeResult r = new DiscriminativeResult(layer, before, after, impBefore, impAfter, fig, dir);
        Results.writeJson(dir.resolve(stem + ".json"), r.numbers(), ctx.provenance("discriminative"));
        return r;
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
            return new NeuronLayout(epoch, FloatMatrix.zeros(m, 2), d.live(), d.dead(), Double.NaN);
        }
        if (layout == Layout.MDS) {
            try (StageTimer.Stage s = ctx.timer().stage("neuron MDS")) {
                Mds.Result r = Mds.fit(d, Mds.Parameters.defaults().withThreads(ctx.options().cpuThreads()));
                return new NeuronLayout(epoch, r.points(), d.live(), d.dead(), r.stress1());
            }
        }
        try (StageTimer.Stage s = ctx.timer().stage("neuron t-SNE");
             Progress progress = ctx.progress("neuron t-SNE", ctx.options().tsneParameters().maxIter())) {
            var p = ctx.options().tsneParameters();
            if (m <= 3 * p.perplexity()) {
                p = p.withPerplexity(Math.max(1, (m - 1) / 3.0));
            }
            Embedding e = new CpuTsne(ctx.options().threads()).embedPrecomputed(d.distances(), m, p, progress);
            return new NeuronLayout(epoch, e.points(), d.live(), d.dead(), Double.NaN);
        }
    }

    private static double[] importanceFor(AnalysisContext ctx, int layer, int epoch, int label) {
        FloatMatrix acts = ctx.activations(epoch, layer).values();
        int[] y = new int[ctx.labels().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = ctx.labels()[i] == label ? 1 : 0;
        }
        try (StageTimer.Stage s = ctx.timer().stage("feature importance")) {
            return ExtraTrees.importances(acts, y, TREES, ctx.options().seed(), ctx.options().cpuThreads());
        }
    }

    private static double[][] oneVsRest(AnalysisContext ctx, int layer, int epoch) {
        FloatMatrix acts = ctx.activations(epoch, layer).values();
        try (StageTimer.Stage s = ctx.timer().stage("feature importance")) {
            return ExtraTrees.oneVsRest(acts, ctx.labels(), ctx.classes(), TREES, ctx.options().seed(), ctx.options().cpuThreads());
        }
    }

    private static void writeLayout(Path dir, String stem, NeuronLayout layout, double[] importance) {
        Npy.write(dir.resolve(stem + "_points.npy"), layout.points());
        Npy.write(dir.resolve(stem + "_live.npy"), layout.live());
        Npy.write(dir.resolve(stem + "_importance.npy"), importance);
    }

    private static Map<String, Object> side(NeuronLayout l, double[] importance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", l.epoch());
        m.put("neurons", l.live().length + l.dead().length);
        m.put("dead_neurons", l.dead().length);
        m.put("dead_indices", l.dead());
        m.put("stress", l.stress());
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
        return m;
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
