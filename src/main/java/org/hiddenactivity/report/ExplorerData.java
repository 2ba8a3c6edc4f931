package org.hiddenactivity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.ClassScores;
import org.hiddenactivity.render.Palette;
import org.hiddenactivity.render.SpriteSheet;

/**
 * The data of the interactive explorer, written as JavaScript files that index.html loads with plain script tags
 * (a page opened from file:// may not fetch local JSON), next to the explorer's script, its style sheet and the
 * sprite sheet of the analysed observations. Positions are quantised to integers 0..10000 of a square frame
 * (1e-4 of the plot: far below a pixel) and neuron activations to one byte per value, to keep the files small.
 */
final class ExplorerData {
    /** Grid steps of a quantised coordinate. */
    static final int GRID = 10000;
    /** Top-activating observations kept per neuron. */
    static final int TOP = 8;
    /** Smallest probability a loss is computed from: float32 softmax underflows to 0 (loss = infinity) below it. */
    static final double MIN_PROBABILITY = 1e-30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplorerData() {}

    /** One observation view: a sequence of snapshots of the same observations. */
    record Sequence(String id, String title, String alignment, boolean sharedFrame, List<Evolution.Step> steps,
                    List<String> stepLabels, String method) {}

    /**
     * Writes {@code dir/data.js}, {@code dir/neurons.js}, {@code dir/sprite.png} and the explorer's assets.
     *
     * @param checkpoints epochs whose predictions the explorer shows (confusion matrix, accuracy, gallery)
     */
    static Map<String, Object> write(AnalysisContext ctx, List<Sequence> sequences, List<Integer> checkpoints,
                                     NeuronAnalysis.Study study, NeuronAnalysis.DiscriminativeResult discriminative,
                                     String title, Path dir) {
        return write(ctx, sequences, checkpoints, study, discriminative, List.of(), title, dir);
    }

    /**
     * As above, with the neuron maps of more layers ({@code otherLayers}: studies of layers other than
     * {@code study}'s), which the explorer's neuron view offers beside the main one.
     */
    static Map<String, Object> write(AnalysisContext ctx, List<Sequence> sequences, List<Integer> checkpoints,
                                     NeuronAnalysis.Study study, NeuronAnalysis.DiscriminativeResult discriminative,
                                     List<NeuronAnalysis.Study> otherLayers, String title, Path dir) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<String> names = ctx.data().classNames();
        d.put("version", 1);
        d.put("title", title);
        d.put("model", ctx.model().name());
        d.put("n", ctx.data().size());
        d.put("classes", names);
        List<String> colours = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            colours.add(hex(Palette.classColour(c)));
        }
        d.put("classColours", colours);
        d.put("paletteSize", Palette.classCount());
        List<String> viridis = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            viridis.add(hex(Palette.viridis(i / 255.0)));
        }
        d.put("viridis", viridis);
        d.put("targets", ctx.labels());

        List<Map<String, Object>> cps = new ArrayList<>();
        Map<Integer, Integer> checkpointIndex = new LinkedHashMap<>();
        Map<String, Object> scoreKinds = new LinkedHashMap<>();
        for (int epoch : checkpoints) {
            Map<String, Object> cp = new LinkedHashMap<>();
            int[] predicted = ctx.predicted(epoch);
            cp.put("epoch", epoch);
            cp.put("accuracy", accuracy(predicted, ctx.labels()));
            Checkpoint c = ctx.model().checkpoint(epoch);
            cp.put("manifestAccuracy", c.testAccuracy().isPresent() ? c.testAccuracy().getAsDouble() : null);
            cp.put("predicted", predicted);
            ClassScores.Kind kind = ctx.classScoreKind(epoch);
            scoreKinds.put("epoch " + epoch, kind.id());
            cp.put("scores", kind.id());
            FloatMatrix p = ctx.classProbabilities(epoch);
            cp.put("confidence", confidence(p, predicted));
            cp.put("loss", loss(p, ctx.labels()));
            checkpointIndex.put(epoch, cps.size());
            cps.add(cp);
        }
        d.put("checkpoints", cps);

        SpriteSheet.Layout sprite = SpriteSheet.write(dir.resolve("sprite.png"), ctx.data().images(),
                ctx.data().channels(), ctx.data().height(), ctx.data().width());
        d.put("sprite", Map.of("file", "explorer/sprite.png", "columns", sprite.columns(), "rows", sprite.rows(),
                "tileWidth", sprite.tileWidth(), "tileHeight", sprite.tileHeight(), "width", sprite.width(),
                "height", sprite.height()));

        List<Map<String, Object>> seqs = new ArrayList<>();
        for (Sequence s : sequences) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("title", s.title());
            m.put("alignment", s.alignment());
            m.put("method", s.method());
            List<Map<String, Object>> steps = new ArrayList<>();
            List<FloatMatrix> points = new ArrayList<>();
            for (int t = 0; t < s.steps().size(); t++) {
                Evolution.Step st = s.steps().get(t);
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("label", s.stepLabels().get(t));
                sm.put("layer", st.layer());
                sm.put("epoch", st.epoch());
                sm.put("checkpoint", checkpointIndex.get(st.epoch()));
                sm.put("neighbourhoodHit", round(st.quality().neighbourhoodHit()));
                steps.add(sm);
                points.add(st.points());
            }
            m.put("steps", steps);
            m.put("positions", quantise(points, s.sharedFrame()));
            seqs.add(m);
        }
        d.put("sequences", seqs);

        List<String> layerNames = ctx.model().hiddenLayers().stream().map(h -> h.name()).toList();
        d.put("units", UnitHealth.table(layerNames, checkpoints, (epoch, layer) -> ctx.activations(epoch, layer).values()));

        // activations shipped once per (layer, epoch): the neuron maps' first (the main study's at 0 and 1), then
        // every other snapshot an observation view shows, so that neighbours can be found in each
        ActivationSets sets = new ActivationSets(ctx);
        if (study != null) {
            d.put("neurons", neurons(ctx, study, sets));
            List<Map<String, Object>> more = new ArrayList<>();
            otherLayers.stream().filter(o -> o.layer() != study.layer())
                    .sorted(java.util.Comparator.comparingInt(NeuronAnalysis.Study::layer))
                    .forEach(o -> more.add(neurons(ctx, o, sets)));
            d.put("neuronLayers", more);
        }
        for (Sequence s : sequences) {
            s.steps().forEach(st -> sets.index(st.layer(), st.epoch()));
        }
        // the main neuron maps' activations load with the page (neurons.js); every other set is a script of its
        // own that the explorer loads when it is first needed, so the page's load does not grow with the layers
        int eager = study == null ? 0 : study.maps().size();
        List<String> files = new ArrayList<>(List.of("explorer/data.js", "explorer/neurons.js", "explorer/sprite.png",
                "explorer/explorer.js", "explorer/explorer.css"));
        for (int k = eager; k < sets.described.size(); k++) {
            sets.described.get(k).put("file", "explorer/activations-" + k + ".js");
            files.add("explorer/activations-" + k + ".js");
        }
        d.put("activationSets", sets.described);
        try {
            AtomicFiles.writeString(dir.resolve("data.js"), "window.HAV_EXPLORER = " + JSON.writeValueAsString(d) + ";\n");
            AtomicFiles.writeString(dir.resolve("neurons.js"), "window.HAV_NEURON_ACTIVATIONS = "
                    + JSON.writeValueAsString(sets.encoded.subList(0, eager)) + ";\n");
            for (int k = eager; k < sets.described.size(); k++) {
                AtomicFiles.writeString(dir.resolve("activations-" + k + ".js"), "(window.HAV_ACTIVATIONS = "
                        + "window.HAV_ACTIVATIONS || {})[" + k + "] = " + JSON.writeValueAsString(sets.encoded.get(k)) + ";\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the explorer data: " + e.getMessage(), e);
        }
        copyResource("org/hiddenactivity/report/explorer/explorer.css", dir.resolve("explorer.css"));
        AtomicFiles.writeString(dir.resolve("explorer.js"), HtmlReportWriter.explorerScript());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", files);
        summary.put("sequences", sequences.stream().map(Sequence::id).toList());
        summary.put("position_grid", GRID);
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("kind_per_checkpoint", scoreKinds);
        scores.put("kinds", scoreKinds.values().stream().distinct().map(k -> k + ": " + kindMeaning(String.valueOf(k))).toList());
        scores.put("confidence", "probability of the predicted class, rounded to 1e-4");
        scores.put("loss", "-ln p(true class) (cross-entropy), rounded to 1e-3; p below " + MIN_PROBABILITY
                + " counts as " + MIN_PROBABILITY);
        summary.put("class_scores", scores);
        summary.put("sprite", Map.of("columns", sprite.columns(), "tile", sprite.tileWidth() + "x" + sprite.tileHeight()));
        return summary;
    }

    /** The activations of each (layer, epoch) once, one byte per value (see {@link #activationBytes}). */
    private static final class ActivationSets {
        final AnalysisContext ctx;
        final Map<String, Integer> index = new LinkedHashMap<>();
        final List<String> encoded = new ArrayList<>();
        final List<Map<String, Object>> described = new ArrayList<>();
        final List<FloatMatrix> values = new ArrayList<>();

        ActivationSets(AnalysisContext ctx) {
            this.ctx = ctx;
        }

        int index(int layer, int epoch) {
            return index.computeIfAbsent(layer + "/" + epoch, key -> {
                FloatMatrix acts = ctx.activations(epoch, layer).values();
                float[][] range = new float[acts.cols()][];
                encoded.add(activationBytes(acts, range));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("layer", layer);
                m.put("epoch", epoch);
                m.put("units", acts.cols());
                m.put("name", ctx.model().layer(layer).name());
                m.put("ranges", range);
                described.add(m);
                values.add(acts);
                return described.size() - 1;
            });
        }
    }

    private static Map<String, Object> neurons(AnalysisContext ctx, NeuronAnalysis.Study s, ActivationSets sets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", s.layer());
        m.put("name", ctx.model().layer(s.layer()).name());
        m.put("units", s.after().units());
        m.put("layout", s.layout().describe());
        m.put("alignment", s.comparison() ? "after-training map Procrustes-aligned onto the before map" : "one checkpoint");
        // One square frame for every map, so that a neuron's position is comparable across maps.
        float[] frame = s.frame();
        double[] box = bounds(frame);
        List<Map<String, Object>> maps = new ArrayList<>();
        List<NeuronAnalysis.NeuronLayout> layouts = s.maps();
        for (int k = 0; k < layouts.size(); k++) {
            NeuronAnalysis.NeuronLayout l = layouts.get(k);
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("epoch", l.epoch());
            mm.put("label", !s.comparison() ? "epoch " + l.epoch() + " (the only checkpoint)"
                    : (k == 0 ? "before training (epoch " : "after training (epoch ") + l.epoch() + ")");
            int[] pos = NeuronAnalysis.positions(l);
            int[] q = new int[2 * l.units()];
            for (int j = 0; j < l.units(); j++) {
                if (pos[j] < 0) {
                    q[2 * j] = -1;
                    q[2 * j + 1] = -1;
                } else {
                    q[2 * j] = quantiseCoordinate(l.points().get(pos[j], 0), box[0], box[2]);
                    q[2 * j + 1] = quantiseCoordinate(l.points().get(pos[j], 1), box[1], box[2]);
                }
            }
            mm.put("positions", q);
            double[][] imp = s.allImportances(l);
            List<double[]> rounded = new ArrayList<>();
            for (double[] row : imp) {
                double[] r = new double[row.length];
                for (int j = 0; j < r.length; j++) {
                    r[j] = Math.round(row[j] * 1e6) / 1e6;
                }
                rounded.add(r);
            }
            mm.put("importance", rounded);
            mm.put("classHit", round(meanIgnoringNaN(NeuronAnalysis.classNeighbourhood(l, imp))));
            mm.put("classChance", round(NeuronAnalysis.classChance(l, imp)));
            int set = sets.index(s.layer(), l.epoch());
            mm.put("act", set);
            mm.put("ranges", sets.described.get(set).get("ranges"));
            mm.put("top", top(sets.values.get(set)));
            maps.add(mm);
        }
        m.put("maps", maps);
        return m;
    }

    private static double meanIgnoringNaN(double[] v) {
        double sum = 0;
        int counted = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                sum += x;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Activations units x N, one byte per value scaled to each neuron's [min, max] (dead neurons: all 0). */
    static String activationBytes(FloatMatrix acts, float[][] range) {
        int n = acts.rows();
        int m = acts.cols();
        byte[] out = new byte[m * n];
        for (int j = 0; j < m; j++) {
            range[j] = columnRange(acts, j);
            float min = range[j][0];
            float max = range[j][1];
            float span = max - min;
            for (int i = 0; i < n; i++) {
                out[j * n + i] = (byte) (span > 0 ? Math.round((acts.get(i, j) - min) / span * 255f) : 0);
            }
        }
        return Base64.getEncoder().encodeToString(out);
    }

    /** {min, max} of neuron j's activations over the observations ({+inf, -inf} with none). */
    static float[] columnRange(FloatMatrix acts, int j) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < acts.rows(); i++) {
            float v = acts.get(i, j);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[] {min, max};
    }

    /** For each neuron, the observations with the largest activations, largest first. */
    static int[][] top(FloatMatrix acts) {
        int n = acts.rows();
        int m = acts.cols();
        int k = Math.min(TOP, n);
        int[][] out = new int[m][];
        for (int j = 0; j < m; j++) {
            int[] best = new int[k];
            float[] val = new float[k];
            int size = 0;
            for (int i = 0; i < n; i++) {
                float v = acts.get(i, j);
                if (size < k || v > val[size - 1]) {
                    int pos = size < k ? size++ : k - 1;
                    while (pos > 0 && val[pos - 1] < v) {
                        val[pos] = val[pos - 1];
                        best[pos] = best[pos - 1];
                        pos--;
                    }
                    val[pos] = v;
                    best[pos] = i;
                }
            }
            out[j] = java.util.Arrays.copyOf(best, size);
        }
        return out;
    }

    /**
     * Each snapshot as interleaved integer x, y in 0..GRID: centred and divided by its largest coordinate
     * magnitude (one map for all snapshots when {@code shared}: a joint projection), as the trail figures do.
     */
    static List<int[]> quantise(List<FloatMatrix> snapshots, boolean shared) {
        List<int[]> out = new ArrayList<>();
        double[] common = null;
        if (shared) {
            common = bounds(FloatMatrix.vstack(snapshots).data());
        }
        for (FloatMatrix s : snapshots) {
            double[] box = shared ? common : bounds(s.data());
            int[] q = new int[2 * s.rows()];
            for (int i = 0; i < s.rows(); i++) {
                q[2 * i] = quantiseCoordinate(s.get(i, 0), box[0], box[2]);
                q[2 * i + 1] = quantiseCoordinate(s.get(i, 1), box[1], box[2]);
            }
            out.add(q);
        }
        return out;
    }

    /** {centre x, centre y, half side} of the square around the interleaved points (half side > 0). */
    static double[] bounds(float[] xy) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i + 1 < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        if (minX > maxX) {
            return new double[] {0, 0, 1};
        }
        double half = Math.max(maxX - minX, maxY - minY) / 2;
        return new double[] {(minX + maxX) / 2, (minY + maxY) / 2, half > 0 ? half : 1};
    }

    static int quantiseCoordinate(double v, double centre, double half) {
        double u = ((v - centre) / half + 1) / 2;
        return (int) Math.round(Math.max(0, Math.min(1, u)) * GRID);
    }

    /** Probability of the predicted class of each observation, rounded to 1e-4. */
    static double[] confidence(FloatMatrix probabilities, int[] predicted) {
        double[] out = new double[predicted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(probabilities.get(i, predicted[i]) * 1e4) / 1e4;
        }
        return out;
    }

    /** Cross-entropy -ln p(true class) of each observation, rounded to 1e-3 (p floored so that it stays finite). */
    static double[] loss(FloatMatrix probabilities, int[] labels) {
        double[] out = new double[labels.length];
        for (int i = 0; i < out.length; i++) {
            double p = Math.max(MIN_PROBABILITY, probabilities.get(i, labels[i]));
            out[i] = Math.round(-Math.log(p) * 1e3) / 1e3;
        }
        return out;
    }

    private static String kindMeaning(String id) {
        for (ClassScores.Kind k : ClassScores.Kind.values()) {
            if (k.id().equals(id)) {
                return k.meaning();
            }
        }
        return id;
    }

    private static double accuracy(int[] predicted, int[] labels) {
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                ok++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) ok / labels.length;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1e4) / 1e4;
    }

    static String hex(Palette.Rgb c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.r(), c.g(), c.b());
    }

    private static void copyResource(String name, Path target) {
        try (InputStream in = ExplorerData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            AtomicFiles.writeBytes(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + name + ": " + e.getMessage(), e);
        }
    }
}
