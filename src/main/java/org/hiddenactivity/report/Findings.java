package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.core.FloatMatrix;

/**
 * Statements computed from the report's numbers. A change (between layers, between checkpoints) becomes a finding
 * only when its bootstrap interval excludes zero; its wording follows the sign and size of the change. Changes
 * within their uncertainty are listed as such. Every statement points at the table cell it rests on.
 */
final class Findings {
    /** Below this absolute change (on a 0..1 scale) a change is called slight; from STRONG on, strong. */
    static final double SLIGHT = 0.02;
    static final double STRONG = 0.10;

    /** Where the statements go: findings, changes within their uncertainty, and all of them as JSON. */
    record Result(List<ReportPage.Finding> findings, List<ReportPage.Finding> withinUncertainty,
                  List<Map<String, Object>> json, String method) {}

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
     * @param actsBefore     raw activations of the neuron layer at the first checkpoint (null with one)
     * @param actsAfter      the same at the last checkpoint
     */
    record Inputs(Evolution.Result layers, Evolution.Result epochs, double[] lastLayerHits, int lastLayer,
                  int[] targets, int firstEpoch, int[] firstPredicted, int lastEpoch, int[] lastPredicted,
                  NeuronAnalysis.Study study, NeuronAnalysis.DiscriminativeResult discriminative,
                  FloatMatrix actsBefore, FloatMatrix actsAfter, List<String> classNames, long seed,
                  String projectionAnchor) {}

    private final Inputs in;
    private final List<ReportPage.Finding> shown = new ArrayList<>();
    private final List<ReportPage.Finding> within = new ArrayList<>();
    private final List<Map<String, Object>> json = new ArrayList<>();

    private Findings(Inputs in) {
        this.in = in;
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
        int n = in.targets().length;
        String method = String.format(Locale.ROOT, "Intervals are %d-resample percentile bootstraps (%.0f%%). Changes"
                + " of the neighbourhood hit and of the accuracy resample the %d observations, the same resample on"
                + " both sides (paired); the projections are held fixed, so the interval covers which observations"
                + " were drawn, not the t-SNE seed. Specialisation resamples the neurons (importances not refitted)."
                + " A change is a finding only when its interval excludes 0; it is called slight below %.2f and strong"
                + " from %.2f.", Bootstrap.RESAMPLES, 100 * Bootstrap.LEVEL, n, SLIGHT, STRONG);
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
                last.quality().hitPerObservation(), "observations", in.seed());
        String numbers = String.format(Locale.ROOT, "neighbourhood hit %.3f at layer 1, %.3f at layer %d (%+.3f)",
                first.quality().neighbourhoodHit(), last.quality().neighbourhoodHit(), ls.size(), iv.estimate());
        String anchor = ReportBuilder.cellId("layers", ls.size() - 1, "nh");
        change("class_separation_with_depth", iv, anchor, "layer " + ls.size() + " neighbourhood hit",
                "Class separation " + grows(iv) + " with depth: " + numbers + ".",
                "Class separation does not change clearly with depth: " + numbers + ".");
    }

    private void training() {
        if (in.epochs() == null) {
            return;
        }
        List<Evolution.Step> es = in.epochs().steps();
        Evolution.Step first = es.get(0);
        Evolution.Step last = es.get(es.size() - 1);
        Bootstrap.Interval iv = Bootstrap.meanDifference(first.quality().hitPerObservation(),
                last.quality().hitPerObservation(), "observations", in.seed() + 1);
        String numbers = String.format(Locale.ROOT, "neighbourhood hit %.3f at epoch %d, %.3f at epoch %d (%+.3f)",
                first.quality().neighbourhoodHit(), first.epoch(), last.quality().neighbourhoodHit(), last.epoch(),
                iv.estimate());
        String verb = iv.estimate() > 0 ? size(iv, "separates", "slightly separates", "clearly separates")
                : size(iv, "mixes", "slightly mixes", "strongly mixes");
        change("class_separation_with_training", iv, ReportBuilder.cellId("epochs", es.size() - 1, "nh"),
                "epoch " + last.epoch() + " neighbourhood hit",
                "Training " + verb + " the classes in layer " + last.layer() + ": " + numbers + ".",
                "Training does not change the class separation of layer " + last.layer() + " clearly: " + numbers + ".");
    }

    private void accuracy() {
        int[] y = in.targets();
        int n = y.length;
        double[] after = correct(in.lastPredicted());
        Bootstrap.Interval acc = Bootstrap.mean(after, "observations", in.seed() + 2);
        int misAfter = n - (int) Math.round(acc.estimate() * n);
        String anchor = in.epochs() != null ? ReportBuilder.cellId("epochs", in.epochs().steps().size() - 1, "mis")
                : in.projectionAnchor();
        measurement("accuracy_last_checkpoint", acc, anchor, "misclassified", String.format(Locale.ROOT,
                "The network misclassifies %d of the %d observations at epoch %d: accuracy %.2f%%.",
                misAfter, n, in.lastEpoch(), 100 * acc.estimate()),
                String.format(Locale.ROOT, "95%% interval %.2f%% to %.2f%%", 100 * acc.low(), 100 * acc.high()));
        if (in.firstPredicted() == null) {
            return;
        }
        double[] before = correct(in.firstPredicted());
        Bootstrap.Interval iv = Bootstrap.meanDifference(before, after, "observations", in.seed() + 3);
        String numbers = String.format(Locale.ROOT, "%.2f%% at epoch %d, %.2f%% at epoch %d (%+.2f points)",
                100 * mean(before), in.firstEpoch(), 100 * acc.estimate(), in.lastEpoch(), 100 * iv.estimate());
        change("accuracy_with_training", iv, anchor, "misclassified",
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
                "observations", in.seed() + 4);
        String w = in.classNames().get(worst);
        String s = in.classNames().get(next);
        String anchor = in.layers() != null ? ReportBuilder.classCellId(in.layers().steps().size() - 1, worst)
                : in.projectionAnchor();
        change("least_separated_class", iv, anchor, "per-class hit",
                String.format(Locale.ROOT, "Class '%s' is the least separated in layer %d at epoch %d (neighbourhood"
                        + " hit %.3f; the next, '%s', %.3f).", w, in.lastLayer(), in.lastEpoch(), perClass[worst], s,
                        perClass[next]),
                String.format(Locale.ROOT, "Classes '%s' (%.3f) and '%s' (%.3f) are the least separated in layer %d,"
                        + " and cannot be told apart.", w, perClass[worst], s, perClass[next], in.lastLayer()));
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
        Bootstrap.Interval iv = Bootstrap.resample(units, "neurons", in.seed() + 5,
                idx -> meanFinite(shareAfter, idx) - meanFinite(shareBefore, idx));
        int[] all = new int[units];
        Arrays.setAll(all, i -> i);
        String numbers = String.format(Locale.ROOT, "on average %.0f%% of a neuron's importance goes to its top class"
                + " after training, %.0f%% before (%.0f%% = no preference)", 100 * meanFinite(shareAfter, all),
                100 * meanFinite(shareBefore, all), 100.0 / in.classNames().size());
        change("specialisation_with_training", iv, "neurons-specialisation-after", "specialisation",
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
        Bootstrap.Interval groups = Bootstrap.mean(after, "neurons", in.seed() + 7);
        String when = d.importanceBefore() == null ? "at epoch " + d.after().epoch() : "after training";
        measurement("neuron_groups", groups, "neurons-groups-after", "neighbours sharing the top class",
                String.format(Locale.ROOT, "In the neuron map of layer %d %s, %.0f%% of a neuron's %d nearest neurons"
                        + " are most important for the same class, against %.0f%% by chance: the neurons %s.", d.layer(),
                        when, 100 * groups.estimate(), NeuronAnalysis.NEURON_NEIGHBOURS, 100 * chanceAfter,
                        groups.low() > chanceAfter ? "fall into groups by discriminative class"
                                : "do not group by discriminative class more than chance"),
                String.format(Locale.ROOT, "95%% interval %.0f%% to %.0f%% over the %d neurons", 100 * groups.low(),
                        100 * groups.high(), after.length));
        if (d.importanceBefore() == null) {
            return;
        }
        double[] before = finite(NeuronAnalysis.classNeighbourhood(d.before(), d.importanceBefore()));
        double chanceBefore = NeuronAnalysis.classChance(d.before(), d.importanceBefore());
        Bootstrap.Interval iv = Bootstrap.differenceOfMeans(before, after, "neurons", in.seed() + 7);
        String numbers = String.format(Locale.ROOT, "%.0f%% of a neuron's %d nearest neurons in the map are most"
                + " important for the same class after training, %.0f%% before (by chance %.0f%% and %.0f%%)",
                100 * mean(after), NeuronAnalysis.NEURON_NEIGHBOURS, 100 * mean(before), 100 * chanceAfter,
                100 * chanceBefore);
        change("neuron_groups_with_training", iv, "neurons-groups-after", "neighbours sharing the top class",
                (iv.estimate() > 0 ? "The neurons of layer " + d.layer() + " group by discriminative class with"
                        + " training: " : "The neurons of layer " + d.layer() + " group less by discriminative class"
                        + " after training: ") + numbers + ".",
                "Grouping of the neurons by discriminative class does not change clearly with training: " + numbers + ".");
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
        if (!s.comparison() || in.actsBefore() == null) {
            measurement("dead_neurons", null, "neurons-dead-after", "dead neurons", String.format(Locale.ROOT,
                    "%d of %d neurons of layer %d are dead (constant over the observations) at epoch %d.", deadAfter,
                    units, s.layer(), s.after().epoch()), "a count on these observations");
            return;
        }
        int deadBefore = s.before().dead().length;
        int[][] variedBefore = varied(in.actsBefore());
        int[][] variedAfter = varied(in.actsAfter());
        int n = in.targets().length;
        Bootstrap.Interval iv = Bootstrap.resample(n, "observations", in.seed() + 6, idx -> {
            boolean[] drawn = new boolean[n];
            for (int i : idx) {
                drawn[i] = true;
            }
            return deadCount(variedAfter, drawn) - deadCount(variedBefore, drawn);
        });
        String numbers = String.format(Locale.ROOT, "%d of %d neurons of layer %d are dead (constant over the"
                + " observations) at epoch %d, %d at epoch %d", deadAfter, units, s.layer(), s.after().epoch(),
                deadBefore, s.before().epoch());
        change("dead_neurons_with_training", iv, "neurons-dead-after", "dead neurons",
                (iv.estimate() > 0 ? "More" : "Fewer") + " neurons are dead after training: " + numbers + ".",
                "The number of dead neurons does not change clearly with training: " + numbers + ".");
    }

    // ------------------------------------------------------------------ helpers

    private void change(String id, Bootstrap.Interval iv, String anchor, String evidence, String ifChanged,
                        String ifNot) {
        boolean clear = iv.excludesZero();
        ReportPage.Finding f = new ReportPage.Finding(clear ? ifChanged : ifNot, iv.describe() + " over the "
                + iv.count() + " " + iv.units(), anchor, evidence);
        (clear ? shown : within).add(f);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", f.text());
        m.put("finding", clear);
        m.put("change", iv.estimate());
        m.put("interval_95", new double[] {iv.low(), iv.high()});
        m.put("bootstrap", Map.of("resamples", iv.resamples(), "over", iv.units(), "count", iv.count(),
                "interval", "percentile"));
        m.put("evidence", anchor);
        json.add(m);
    }

    private void measurement(String id, Bootstrap.Interval iv, String anchor, String evidence, String text,
                             String uncertainty) {
        shown.add(new ReportPage.Finding(text, uncertainty, anchor, evidence));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("text", text);
        m.put("finding", true);
        if (iv != null) {
            m.put("value", iv.estimate());
            m.put("interval_95", new double[] {iv.low(), iv.high()});
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

    /**
     * For each neuron, the observations whose activation differs from the neuron's most frequent value: a neuron
     * is constant on a resample when none of them is drawn (null entry: constant on the full sample).
     */
    static int[][] varied(FloatMatrix acts) {
        int n = acts.rows();
        int m = acts.cols();
        int[][] out = new int[m][];
        float[] col = new float[n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                col[i] = acts.get(i, j);
            }
            float mode = mode(col.clone());
            int count = 0;
            for (float v : col) {
                if (Float.compare(v, mode) != 0) {
                    count++;
                }
            }
            if (count == 0) {
                out[j] = null;
                continue;
            }
            int[] idx = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (Float.compare(col[i], mode) != 0) {
                    idx[k++] = i;
                }
            }
            out[j] = idx;
        }
        return out;
    }

    private static float mode(float[] v) {
        Arrays.sort(v);
        float best = v[0];
        int bestRun = 0;
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j < v.length && Float.compare(v[j], v[i]) == 0) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = v[i];
            }
            i = j;
        }
        return best;
    }

    private static int deadCount(int[][] varied, boolean[] drawn) {
        int dead = 0;
        for (int[] idx : varied) {
            boolean live = false;
            if (idx != null) {
                for (int i : idx) {
                    if (drawn[i]) {
                        live = true;
                        break;
                    }
                }
            }
            if (!live) {
                dead++;
            }
        }
        return dead;
    }
}
