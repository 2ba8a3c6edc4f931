package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.Analysis;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisRun;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.core.Seeds;

/**
 * Statements computed from the report's numbers. A change (between layers, between checkpoints) becomes a finding
 * only when its bootstrap interval excludes zero; its wording follows the sign and size of the change, and the
 * sentence gives the estimate in the unit of its interval. Changes within their uncertainty are listed as such.
 * Every statement points at the table cell it rests on.
 */
final class Findings {
    /** Below this absolute change (on a 0..1 scale) a change is called slight; from STRONG on, strong. */
    static final double SLIGHT = 0.02;
    static final double STRONG = 0.10;

    /** Where the statements go: findings, changes within their uncertainty, and all of them as JSON. */
    record Result(List<ReportPage.Finding> findings, List<ReportPage.Finding> withinUncertainty,
                  List<Map<String, Object>> json, String method) implements Analysis.Result {
        /** report.json's "findings" and "findings_method". */
        @Override
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("findings", json);
            m.put("findings_method", method);
            return m;
        }
    }

    /**
     * Everything the findings need.
     *
     * @param layers         the inter-layer series, or null when left out
     * @param epochs         the inter-epoch series, or null when left out
     * @param lastLayerHits  per-observation neighbourhood hit of the last layer at the last epoch
     * @param lastLayer      number of that layer
     * @param targets        true class of each observation
     * @param firstPredicted predictions at the first analysed checkpoint (null with one checkpoint)
     * @param lastPredicted  predictions at the last checkpoint
     * @param study          the neuron maps (before null with one checkpoint)
     * @param discriminative the one-vs-rest importances of the study
     */
    record Inputs(Evolution.Result layers, Evolution.Result epochs, double[] lastLayerHits, int lastLayer,
                  int[] targets, int firstEpoch, int[] firstPredicted, int lastEpoch, int[] lastPredicted,
                  NeuronAnalysis.Study study, NeuronAnalysis.DiscriminativeResult discriminative,
                  List<String> classNames, long seed,
                  String projectionAnchor) {
        static Builder builder() {
            return new Builder();
        }

        /** Named setters for the fourteen inputs (two series, three prediction arrays of one type, ...). */
        static final class Builder {
            private Evolution.Result layers;
            private Evolution.Result epochs;
            private double[] lastLayerHits;
            private int lastLayer;
            private int[] targets;
            private int firstEpoch;
            private int[] firstPredicted;
            private int lastEpoch;
            private int[] lastPredicted;
            private NeuronAnalysis.Study study;
            private NeuronAnalysis.DiscriminativeResult discriminative;
            private List<String> classNames;
            private long seed;
            private String projectionAnchor;

            Builder layers(Evolution.Result v) { layers = v; return this; }
            Builder epochs(Evolution.Result v) { epochs = v; return this; }
            Builder lastLayerHits(double[] v) { lastLayerHits = v; return this; }
            Builder lastLayer(int v) { lastLayer = v; return this; }
            Builder targets(int[] v) { targets = v; return this; }
            Builder firstEpoch(int v) { firstEpoch = v; return this; }
            Builder firstPredicted(int[] v) { firstPredicted = v; return this; }
            Builder lastEpoch(int v) { lastEpoch = v; return this; }
            Builder lastPredicted(int[] v) { lastPredicted = v; return this; }
            Builder study(NeuronAnalysis.Study v) { study = v; return this; }
            Builder discriminative(NeuronAnalysis.DiscriminativeResult v) { discriminative = v; return this; }
            Builder classNames(List<String> v) { classNames = v; return this; }
            Builder seed(long v) { seed = v; return this; }
            Builder projectionAnchor(String v) { projectionAnchor = v; return this; }

            Inputs build() {
                return new Inputs(layers, epochs, lastLayerHits, lastLayer, targets, firstEpoch, firstPredicted,
                        lastEpoch, lastPredicted, study, discriminative, classNames, seed, projectionAnchor);
            }
        }
    }

    /**
     * The findings as the report's last {@link Analysis}: read from the layer and epoch series (when they ran), the
     * activation projection, the neuron maps and the discriminative map.
     */
    static final Analysis<Inputs, Result> ANALYSIS = new Analysis<>() {
        @Override
        public String id() {
            return "findings";
        }

        @Override
        public Inputs inputs(AnalysisRun run) {
            AnalysisContext ctx = run.ctx();
            Evolution.Result layers = run.optional(Evolution.LAYERS);
            NeuronAnalysis.Study study = run.result(NeuronAnalysis.MAPS);
            int first = ctx.model().firstEpoch();
            int last = ctx.model().lastEpoch();
            return Inputs.builder()
                    .layers(layers)
                    .epochs(run.optional(Evolution.EPOCHS))
                    .lastLayerHits(layers != null ? layers.steps().get(layers.steps().size() - 1).quality()
                            .hitPerObservation() : run.result(ActivationProjection.ANALYSIS).quality()
                            .hitPerObservation())
                    .lastLayer(ctx.layerCount())
                    .targets(ctx.labels())
                    .firstEpoch(first)
                    .firstPredicted(study.comparison() ? ctx.predicted(first) : null)
                    .lastEpoch(last)
                    .lastPredicted(ctx.predicted(last))
                    .study(study)
                    .discriminative(run.result(NeuronAnalysis.DISCRIMINATIVE))
                    .classNames(ctx.data().classNames())
                    .seed(ctx.options().seed())
                    .projectionAnchor("projection-mis")
                    .build();
        }

        @Override
        public Findings.Result compute(AnalysisContext ctx, Inputs in) {
            return Findings.compute(in);
        }

        @Override
        public void report(Findings.Result result, Map<String, Object> results) {
            results.putAll(result.numbers());
        }
    };

    private final Inputs in;
    private final Seeds seeds;
    private final List<ReportPage.Finding> shown = new ArrayList<>();
    private final List<ReportPage.Finding> within = new ArrayList<>();
    private final List<Map<String, Object>> json = new ArrayList<>();

    private Findings(Inputs in) {
        this.in = in;
        this.seeds = new Seeds(in.seed());
    }

    static Result compute(Inputs in) {
        Findings f = new Findings(in);
        f.depth();
        f.training();
        f.accuracy();
        f.leastSeparated();
        f.specialisation();
        f.neuronGroups();
        f.deadNeurons();
        f.bundling(in.layers(), "through the layers");
        f.bundling(in.epochs(), "through training");
        int n = in.targets().length;
        String method = String.format(Locale.ROOT, "Intervals are %d-resample percentile bootstraps (%.0f%%), each"
                + " resampling the units its statistic averages over, so that the bootstrap distribution centres on"
                + " the estimate: changes of the neighbourhood hit and of the accuracy resample the %d observations,"
                + " the same resample on both sides (paired); the least separated class resamples the observations"
                + " of each of the two classes; specialisation, neuron groups and the change in dead neurons resample"
                + " the neurons (a neuron's dead-after minus dead-before, paired; resampling observations instead"
                + " would make more neurons look dead in every resample). The projections are held fixed, so an"
                + " interval covers which observations or neurons were drawn, not the t-SNE seed. Each neighbourhood"
                + " hit is measured in the projection it names (through the layers, through training, or the last"
                + " layer's own), so the same layer and epoch can have slightly different hits in two of them. The trail lengths"
                + " of the bundling statements are measured once, without an interval. A change is a finding only when"
                + " its interval excludes 0; it is called slight below %.2f and strong from %.2f (on a 0..1 scale).",
                Bootstrap.RESAMPLES, 100 * Bootstrap.LEVEL, n, SLIGHT, STRONG);
        return new Result(f.shown, f.within, f.json, method);
    }

    // ------------------------------------------------------------------ the statements

    private void depth() {
        if (in.layers() == null) {
            return;
        }
        List<Evolution.Step> ls = in.layers().steps();
        Evolution.Step first = ls.get(0);
        Evolution.Step last = ls.get(ls.size() - 1);
        Bootstrap.Interval iv = Bootstrap.meanDifference(first.quality().hitPerObservation(),
                last.quality().hitPerObservation(), "observations", seeds.of(Seeds.Stream.DEPTH));
        String numbers = String.format(Locale.ROOT, "neighbourhood hit %.3f at layer 1, %.3f at layer %d (%s)",
                first.quality().neighbourhoodHit(), last.quality().neighbourhoodHit(), ls.size(),
                Bootstrap.Scale.PLAIN.signed(iv.estimate()));
        String anchor = ReportBuilder.cellId("layers", ls.size() - 1, "nh");
        change("class_separation_with_depth", iv, Bootstrap.Scale.PLAIN, anchor, "layer " + ls.size()
                        + " neighbourhood hit",
                "Class separation " + grows(iv) + " with depth in the projections through the layers: " + numbers + ".",
                "Class separation does not change clearly with depth in the projections through the layers: "
                        + numbers + ".");
    }

    private void training() {
        if (in.epochs() == null) {
            return;
        }
        List<Evolution.Step> es = in.epochs().steps();
        Evolution.Step first = es.get(0);
        Evolution.Step last = es.get(es.size() - 1);
        Bootstrap.Interval iv = Bootstrap.meanDifference(first.quality().hitPerObservation(),
                last.quality().hitPerObservation(), "observations", seeds.of(Seeds.Stream.TRAINING));
        String numbers = String.format(Locale.ROOT, "neighbourhood hit %.3f at epoch %d, %.3f at epoch %d (%s)",
                first.quality().neighbourhoodHit(), first.epoch(), last.quality().neighbourhoodHit(), last.epoch(),
                Bootstrap.Scale.PLAIN.signed(iv.estimate()));
        String verb = iv.estimate() > 0 ? size(iv, "separates", "slightly separates", "clearly separates")
                : size(iv, "mixes", "slightly mixes", "strongly mixes");
        change("class_separation_with_training", iv, Bootstrap.Scale.PLAIN,
                ReportBuilder.cellId("epochs", es.size() - 1, "nh"), "epoch " + last.epoch() + " neighbourhood hit",
                "Training " + verb + " the classes in layer " + last.layer() + " in the projections through training: "
                        + numbers + ".",
                "Training does not change the class separation of layer " + last.layer() + " clearly in the"
                        + " projections through training: " + numbers + ".");
    }

    private void accuracy() {
        int[] y = in.targets();
        int n = y.length;
        double[] after = correct(in.lastPredicted());
        Bootstrap.Interval acc = Bootstrap.mean(after, "observations", seeds.of(Seeds.Stream.ACCURACY));
        int misAfter = n - (int) Math.round(acc.estimate() * n);
        String anchor = in.epochs() != null ? ReportBuilder.cellId("epochs", in.epochs().steps().size() - 1, "mis")
                : in.projectionAnchor();
        measurement("accuracy_last_checkpoint", acc, "fraction correct", anchor, "misclassified",
                String.format(Locale.ROOT, "The network misclassifies %d of the %d observations at epoch %d: accuracy"
                        + " %.2f%%.", misAfter, n, in.lastEpoch(), 100 * acc.estimate()),
                String.format(Locale.ROOT, "95%% interval %.2f%% to %.2f%% over the %d observations", 100 * acc.low(),
                        100 * acc.high(), n));
        if (in.firstPredicted() == null) {
            return;
        }
        double[] before = correct(in.firstPredicted());
        Bootstrap.Interval iv = Bootstrap.meanDifference(before, after, "observations", seeds.of(Seeds.Stream.ACCURACY_CHANGE));
        Bootstrap.Scale points = Bootstrap.Scale.ACCURACY_POINTS;
        String numbers = String.format(Locale.ROOT, "%.2f%% at epoch %d, %.2f%% at epoch %d (%s)",
                100 * mean(before), in.firstEpoch(), 100 * acc.estimate(), in.lastEpoch(), points.signed(iv.estimate()));
        change("accuracy_with_training", iv, points, anchor, "misclassified",
                "Accuracy on these observations " + (iv.estimate() > 0 ? "rises" : "falls") + " with training: "
                        + numbers + ".",
                "Accuracy on these observations does not change clearly with training: " + numbers + ".");
    }

    private void leastSeparated() {
        double[] hits = in.lastLayerHits();
        int classes = in.classNames().size();
        double[] perClass = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < hits.length; i++) {
            perClass[in.targets()[i]] += hits[i];
            count[in.targets()[i]]++;
        }
        Integer[] order = new Integer[classes];
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (count[c] > 0) {
                perClass[c] /= count[c];
                order[present++] = c;
            }
        }
        if (present < 2) {
            return;
        }
        Integer[] sorted = Arrays.copyOf(order, present);
        Arrays.sort(sorted, (a, b) -> Double.compare(perClass[a], perClass[b]));
        int worst = sorted[0];
        int next = sorted[1];
        Bootstrap.Interval iv = Bootstrap.differenceOfMeans(ofClass(hits, worst), ofClass(hits, next),
                "observations of the two classes", seeds.of(Seeds.Stream.LEAST_SEPARATED));
        String w = in.classNames().get(worst);
        String s = in.classNames().get(next);
        String anchor = in.layers() != null ? ReportBuilder.classCellId(in.layers().steps().size() - 1, worst)
                : in.projectionAnchor();
        String difference = Bootstrap.Scale.PLAIN.signed(iv.estimate());
        change("least_separated_class", iv, Bootstrap.Scale.PLAIN, anchor, "per-class hit",
                String.format(Locale.ROOT, "Class '%s' is the least separated in layer %d at epoch %d (neighbourhood"
                        + " hit %.3f; the next, '%s', %.3f: %s).", w, in.lastLayer(), in.lastEpoch(), perClass[worst],
                        s, perClass[next], difference),
                String.format(Locale.ROOT, "Classes '%s' (%.3f) and '%s' (%.3f) have the lowest neighbourhood hits in"
                        + " layer %d; their difference (%s) is within its uncertainty, so which of the two is the least"
                        + " separated is not clear.", w, perClass[worst], s, perClass[next], in.lastLayer(), difference));
    }

    private void specialisation() {
        if (in.discriminative() == null || in.discriminative().importanceBefore() == null) {
            return;
        }
        double[][] before = in.discriminative().importanceBefore();
        double[][] after = in.discriminative().importanceAfter();
        double[] shareBefore = shares(before);
        double[] shareAfter = shares(after);
        int units = shareAfter.length;
        Bootstrap.Interval iv = Bootstrap.resample(units, "neurons", seeds.of(Seeds.Stream.SPECIALISATION),
                idx -> meanFinite(shareAfter, idx) - meanFinite(shareBefore, idx));
        int[] all = new int[units];
        Arrays.setAll(all, i -> i);
        Bootstrap.Scale points = Bootstrap.Scale.POINTS;
        String numbers = String.format(Locale.ROOT, "on average %.1f%% of a neuron's importance goes to its top class"
                + " after training, %.1f%% before (%s; %.0f%% = no preference)", 100 * meanFinite(shareAfter, all),
                100 * meanFinite(shareBefore, all), points.signed(iv.estimate()), 100.0 / in.classNames().size());
        change("specialisation_with_training", iv, points, "neurons-specialisation-after", "specialisation",
                (iv.estimate() > 0 ? "Neurons specialise with training: " : "Neurons become less specialised with"
                        + " training: ") + numbers + ".",
                "Neuron specialisation does not change clearly with training: " + numbers + ".");
    }

    /** Whether neighbouring neurons in the map share their discriminative class more after training than before. */
    private void neuronGroups() {
        NeuronAnalysis.DiscriminativeResult d = in.discriminative();
        if (d == null) {
            return;
        }
        double[] after = finite(NeuronAnalysis.classNeighbourhood(d.after(), d.importanceAfter()));
        double chanceAfter = NeuronAnalysis.classChance(d.after(), d.importanceAfter());
        if (after.length < 2) {
            return;
        }
        Bootstrap.Interval groups = Bootstrap.mean(after, "neurons", seeds.of(Seeds.Stream.NEURON_GROUPS));
        String when = d.importanceBefore() == null ? "at epoch " + d.after().epoch() : "after training";
        measurement("neuron_groups", groups, "fraction of neighbours", "neurons-groups-after",
                "neighbours sharing the top class",
                String.format(Locale.ROOT, "In the neuron map of layer %d %s, %.1f%% of a neuron's %d nearest neurons"
                        + " are most important for the same class, against %.1f%% by chance: the neurons %s.", d.layer(),
                        when, 100 * groups.estimate(), NeuronAnalysis.NEURON_NEIGHBOURS, 100 * chanceAfter,
                        groups.low() > chanceAfter ? "fall into groups by discriminative class"
                                : "do not group by discriminative class more than chance"),
                String.format(Locale.ROOT, "95%% interval %.1f%% to %.1f%% over the %d neurons", 100 * groups.low(),
                        100 * groups.high(), after.length));
        if (d.importanceBefore() == null) {
            return;
        }
        double[] before = finite(NeuronAnalysis.classNeighbourhood(d.before(), d.importanceBefore()));
        double chanceBefore = NeuronAnalysis.classChance(d.before(), d.importanceBefore());
        Bootstrap.Interval iv = Bootstrap.differenceOfMeans(before, after, String.format(Locale.ROOT,
                "neurons of the two maps, %d before and %d after, each map resampled", before.length, after.length),
                seeds.of(Seeds.Stream.NEURON_GROUPS_CHANGE));
        Bootstrap.Scale points = Bootstrap.Scale.POINTS;
        String numbers = String.format(Locale.ROOT, "%.1f%% of a neuron's %d nearest neurons in the map are most"
                + " important for the same class after training, %.1f%% before (%s; by chance %.1f%% and %.1f%%)",
                100 * mean(after), NeuronAnalysis.NEURON_NEIGHBOURS, 100 * mean(before), points.signed(iv.estimate()),
                100 * chanceAfter, 100 * chanceBefore);
        change("neuron_groups_with_training", iv, points, "neurons-groups-after", "neighbours sharing the top class",
                (iv.estimate() > 0 ? "The neurons of layer " + d.layer() + " group by discriminative class with"
                        + " training: " : "The neurons of layer " + d.layer() + " group less by discriminative class"
                        + " after training: ") + numbers + ".",
                "Grouping of the neurons by discriminative class does not change clearly with training: " + numbers + ".");
    }

    /**
     * What bundling did to the trails' total length, in the direction measured (bundling bends trails toward shared
     * paths, which may lengthen them): a measurement on the figure, without an interval.
     */
    private void bundling(Evolution.Result r, String where) {
        if (r == null || !(r.inkBefore() > 0) || !Double.isFinite(r.inkAfter())) {
            return;
        }
        String statement = r.inkStatement();
        if (statement == null) {
            return;
        }
        shown.add(new ReportPage.Finding(statement, "measured once on these trails, without resampling",
                r.kind() + "-table", "trail ink"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "bundling_trail_length_" + r.kind());
        m.put("text", statement);
        m.put("finding", true);
        m.put("relative_change", r.inkAfter() / r.inkBefore() - 1);
        m.put("unit", "relative change of the total trail length " + where);
        m.put("evidence", r.kind() + "-table");
        json.add(m);
    }

    private static double[] finite(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
    }

    private void deadNeurons() {
        NeuronAnalysis.Study s = in.study();
        if (s == null) {
            return;
        }
        int units = s.after().units();
        int deadAfter = s.after().dead().length;
        if (!s.comparison()) {
            measurement("dead_neurons", null, null, "neurons-dead-after", "dead neurons", String.format(Locale.ROOT,
                    "%d of %d neurons of layer %d are dead (constant over the observations) at epoch %d.", deadAfter,
                    units, s.layer(), s.after().epoch()), "a count of neurons, without an interval");
            return;
        }
        int deadBefore = s.before().dead().length;
        // per neuron: dead after minus dead before (-1, 0, +1); the change is their sum, resampled over the neurons
        double[] change = new double[units];
        for (int j : s.after().dead()) {
            change[j] += 1;
        }
        for (int j : s.before().dead()) {
            change[j] -= 1;
        }
        Bootstrap.Interval iv = Bootstrap.resample(units, "neurons", seeds.of(Seeds.Stream.DEAD_NEURONS), idx -> {
            double sum = 0;
            for (int i : idx) {
                sum += change[i];
            }
            return sum;
        });
        Bootstrap.Scale neurons = new Bootstrap.Scale(1, 0, " neurons");
        String numbers = String.format(Locale.ROOT, "%d of %d neurons of layer %d are dead (constant over the"
                + " observations) at epoch %d, %d at epoch %d (%s)", deadAfter, units, s.layer(), s.after().epoch(),
                deadBefore, s.before().epoch(), neurons.signed(iv.estimate()));
        change("dead_neurons_with_training", iv, neurons, "neurons-dead-after", "dead neurons",
                (iv.estimate() > 0 ? "More" : "Fewer") + " neurons are dead after training: " + numbers + ".",
                deadAfter == 0 && deadBefore == 0
                        ? String.format(Locale.ROOT, "No neuron of layer %d is dead (constant over the observations),"
                                + " at epoch %d or at epoch %d (%s).", s.layer(), s.before().epoch(), s.after().epoch(),
                                neurons.signed(iv.estimate()))
                        : "The number of dead neurons does not change clearly with training: " + numbers + ".");
    }

    // ------------------------------------------------------------------ helpers

    private void change(String id, Bootstrap.Interval iv, Bootstrap.Scale scale, String anchor, String evidence,
                        String ifChanged, String ifNot) {
        boolean clear = iv.excludesZero();
        ReportPage.Finding f = new ReportPage.Finding(clear ? ifChanged : ifNot, iv.describe(scale) + " over the "
                + iv.count() + " " + iv.units(), anchor, evidence);
        (clear ? shown : within).add(f);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", f.text());
        m.put("finding", clear);
        m.put("change", iv.estimate());
        m.put("interval_95", new double[] {iv.low(), iv.high()});
        m.put("unit", scale.factor() == 1 ? scale.unit().isEmpty() ? "as the statistic" : scale.unit().strip()
                : "fraction (the text shows it x " + (int) scale.factor() + " as" + scale.unit() + ")");
        m.put("bootstrap", Map.of("resamples", iv.resamples(), "over", iv.units(), "count", iv.count(),
                "interval", "percentile"));
        m.put("evidence", anchor);
        json.add(m);
    }

    private void measurement(String id, Bootstrap.Interval iv, String unit, String anchor, String evidence, String text,
                             String uncertainty) {
        shown.add(new ReportPage.Finding(text, uncertainty, anchor, evidence));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", text);
        m.put("finding", true);
        if (iv != null) {
            m.put("value", iv.estimate());
            m.put("interval_95", new double[] {iv.low(), iv.high()});
            m.put("unit", unit);
            m.put("bootstrap", Map.of("resamples", iv.resamples(), "over", iv.units(), "count", iv.count(),
                    "interval", "percentile"));
        }
        m.put("evidence", anchor);
        json.add(m);
    }

    private static String grows(Bootstrap.Interval iv) {
        return iv.estimate() > 0 ? size(iv, "grows", "grows slightly", "grows strongly")
                : size(iv, "falls", "falls slightly", "falls strongly");
    }

    private static String size(Bootstrap.Interval iv, String plain, String slight, String strong) {
        double d = Math.abs(iv.estimate());
        return d < SLIGHT ? slight : d >= STRONG ? strong : plain;
    }

    private double[] correct(int[] predicted) {
        double[] c = new double[predicted.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = predicted[i] == in.targets()[i] ? 1 : 0;
        }
        return c;
    }

    private double[] ofClass(double[] values, int cls) {
        return java.util.stream.IntStream.range(0, values.length).filter(i -> in.targets()[i] == cls)
                .mapToDouble(i -> values[i]).toArray();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Per neuron, the share of its importance that goes to its top class (NaN for a neuron without importance). */
    static double[] shares(double[][] importance) {
        int units = importance[0].length;
        double[] out = new double[units];
        for (int j = 0; j < units; j++) {
            double total = 0;
            double max = 0;
            for (double[] perClass : importance) {
                total += perClass[j];
                max = Math.max(max, perClass[j]);
            }
            out[j] = total > 0 ? max / total : Double.NaN;
        }
        return out;
    }

    private static double meanFinite(double[] v, int[] idx) {
        double s = 0;
        int n = 0;
        for (int i : idx) {
            if (!Double.isNaN(v[i])) {
                s += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
