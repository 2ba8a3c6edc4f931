package org.hiddenactivity.report;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.Figures;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.projection.Alignment;

/**
 * {@code hav report}: the notebook's sequence of analyses on one model (all layers at the last epoch, the epoch series
 * of the last layer, neuron maps of the last layer before and after training), written as an HTML page with an
 * interactive explorer (plain JavaScript and canvas, data in script files so it opens from file:// offline), the
 * static figures beside it, the quality metrics, findings that follow their numbers, exports for the Embedding
 * Projector, timings and provenance. An analysis that cannot run on this model (one hidden layer, one checkpoint)
 * is left out with its reason, in the page and in report.json.
 */
public final class ReportBuilder {
    /** Which tensors go to the Embedding Projector export. */
    public enum ProjectorTensors {
        /** The last hidden layer at the last checkpoint (about 4 MB for 2000 observations x 256 units). */
        LAST,
        /** Every (layer, epoch) the report projects (about 4 MB each at that size). */
        ALL,
        NONE;

        public static ProjectorTensors parse(String s) {
            for (ProjectorTensors t : values()) {
                if (t.name().equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new HavException("--projector " + s, "unknown choice", "use last, all or none");
        }
    }

    /** What the report runs; the defaults follow the notebook, and the paper for the neuron layout (t-SNE). */
    public record Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                       NeuronAnalysis.Layout neuronLayout, ProjectorTensors projector) {
        public Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                    NeuronAnalysis.Layout neuronLayout) {
            this(layerAlignment, epochAlignment, epochs, labels, neuronLayout, ProjectorTensors.LAST);
        }
    }

    /** The written report; {@code omitted} maps each left-out section to the reason. */
    public record Written(Path index, Path json, double seconds, Map<String, Double> timings, Map<String, Object> numbers,
                          Map<String, String> omitted) {}

    private ReportBuilder() {}

    public static Written run(AnalysisContext ctx, Plan plan, Path dir) {
        long start = System.nanoTime();
        Path figures = dir.resolve("figures");
        if (ctx.layerCount() < 1) {
            ctx.model().layer(1);
        }
        int last = ctx.model().lastEpoch();
        int lastLayer = ctx.layerCount();
        List<Integer> epochs = plan.epochs() != null ? plan.epochs()
                : ctx.model().checkpoints().stream().map(Checkpoint::epoch).toList();
        for (int e : epochs) {
            ctx.model().checkpoint(e);
        }
        Describer names = new Describer(ctx);
        Map<String, String> omitted = new LinkedHashMap<>();

        Evolution.Result layers = null;
        if (lastLayer >= 2) {
            layers = Evolution.layers(ctx, last, plan.layerAlignment(), figures);
        } else {
            omitted.put("layers", "Left out: the model has one hidden layer (" + names.layer(1) + "), and an"
                    + " inter-layer evolution needs at least two. Name more tensors to analyse in the manifest's"
                    + " \"hidden_layers\" ('hav inspect' lists the candidates).");
        }
        ActivationProjection.Result projection = ActivationProjection.run(ctx, lastLayer, last, figures);
        Evolution.Result epochSeries = null;
        if (epochs.size() >= 2) {
            epochSeries = Evolution.epochs(ctx, lastLayer, epochs, plan.epochAlignment(), figures);
        } else {
            omitted.put("epochs", "Left out: " + (ctx.model().checkpoints().size() == 1
                    ? "the series has one checkpoint (epoch " + last + ")" : "the report was given one epoch ("
                    + epochs.get(0) + ")") + ", and an inter-epoch evolution needs at least two.");
        }
        NeuronAnalysis.Study study = NeuronAnalysis.study(ctx, lastLayer, plan.neuronLayout());
        if (!study.comparison()) {
            omitted.put("before_after", "Left out: the series has one checkpoint (epoch " + last + "), so there is"
                    + " no before/after training comparison; the neuron maps show that checkpoint alone.");
        }
        NeuronAnalysis.DiscriminativeResult discriminative = NeuronAnalysis.discriminative(study, figures);
        double[] lastHits = layers != null ? layers.steps().get(layers.steps().size() - 1).quality().hitPerObservation()
                : projection.quality().hitPerObservation();
        double[] lastPerClass = layers != null ? layers.steps().get(layers.steps().size() - 1).quality().perClassHit()
                : projection.quality().perClassHit();
        int[] labels = plan.labels() != null ? plan.labels() : defaultLabels(lastPerClass);
        List<NeuronAnalysis.ProjectionResult> neurons = new ArrayList<>();
        for (int label : labels) {
            neurons.add(NeuronAnalysis.projection(study, label, figures));
        }
        Figures.Files grid = NeuronAnalysis.importanceGrid(study, figures);
        double analysisSeconds = (System.nanoTime() - start) / 1e9;

        Findings.Result findings = Findings.compute(new Findings.Inputs(layers, epochSeries, lastHits, lastLayer,
                ctx.labels(), ctx.model().firstEpoch(), study.comparison() ? ctx.predicted(ctx.model().firstEpoch())
                : null, last, ctx.predicted(last), study, discriminative, ctx.data().classNames(),
                ctx.options().seed(), "projection-mis"));

        // the explorer and the exports
        long exportStart = System.nanoTime();
        List<ExplorerData.Sequence> sequences = new ArrayList<>();
        String method = String.valueOf(ctx.projectionSettings().get("method"));
        if (layers != null) {
            sequences.add(new ExplorerData.Sequence("layers", "Through the layers (epoch " + last + ")",
                    layers.alignment().id(), layers.alignment() == Alignment.JOINT, layers.steps(),
                    layers.steps().stream().map(s -> names.layerShort(s.layer())).toList(), method));
        }
        if (epochSeries != null) {
            sequences.add(new ExplorerData.Sequence("epochs", "Through training (" + names.layerShort(lastLayer) + ")",
                    epochSeries.alignment().id(), epochSeries.alignment() == Alignment.JOINT, epochSeries.steps(),
                    epochSeries.steps().stream().map(s -> "epoch " + s.epoch()).toList(), method));
        }
        if (sequences.isEmpty()) {
            Evolution.Step only = new Evolution.Step("layer " + lastLayer, lastLayer, last, projection.points(),
                    projection.quality(), projection.misclassified(), projection.figure());
            sequences.add(new ExplorerData.Sequence("projection", "Activation projection (" + names.layerShort(lastLayer)
                    + ", epoch " + last + ")", "independent", false, List.of(only),
                    List.of(names.layerShort(lastLayer)), method));
        }
        TreeSet<Integer> checkpoints = new TreeSet<>(epochs);
        checkpoints.add(last);
        study.maps().forEach(m -> checkpoints.add(m.epoch()));
        String title = "Hidden activity of " + ctx.model().name();
        // the explorer's neuron view offers the maps of every hidden layer (the static page keeps the last layer's)
        List<NeuronAnalysis.Study> otherLayers = new ArrayList<>();
        for (int l = 1; l < lastLayer; l++) {
            otherLayers.add(NeuronAnalysis.study(ctx, l, plan.neuronLayout()));
        }
        Map<String, Object> explorer = ExplorerData.write(ctx, sequences, new ArrayList<>(checkpoints), study,
                discriminative, otherLayers, title, dir.resolve("explorer"));
        Map<String, Object> projector = null;
        if (plan.projector() != ProjectorTensors.NONE) {
            LinkedHashSet<List<Integer>> tensors = new LinkedHashSet<>();
            tensors.add(List.of(lastLayer, last));
            if (plan.projector() == ProjectorTensors.ALL) {
                for (ExplorerData.Sequence s : sequences) {
                    s.steps().forEach(st -> tensors.add(List.of(st.layer(), st.epoch())));
                }
            }
            projector = ProjectorExport.write(ctx, tensors.stream().map(l -> new int[] {l.get(0), l.get(1)}).toList(),
                    dir.resolve("projector"));
        }
        double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> timings = ctx.timer().seconds();
        timings.put("explorer and exports", exportSeconds);

        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("layers", layers != null ? layers.numbers() : null);
        numbers.put("projection", projection.numbers());
        numbers.put("epochs", epochSeries != null ? epochSeries.numbers() : null);
        List<Map<String, Object>> neuronNumbers = new ArrayList<>();
        neurons.forEach(r -> neuronNumbers.add(r.numbers()));
        numbers.put("neurons", neuronNumbers);
        numbers.put("discriminative", discriminative.numbers());
        numbers.put("accuracy_per_checkpoint", accuracyPerCheckpoint(ctx, checkpoints));
        numbers.put("findings", findings.json());
        numbers.put("findings_method", findings.method());
        numbers.put("timings_seconds", timings);
        numbers.put("analysis_seconds", analysisSeconds);
        numbers.put("total_seconds", seconds);
        RunProvenance provenance = ctx.provenance("report");
        List<String> warnings = List.copyOf(ctx.warnings());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("warnings", warnings);
        doc.put("omitted", omitted);
        doc.put("model", ctx.recordedValues(ctx.model().describe()));  // input paths as --record-paths says
        doc.put("dataset", ctx.recordedText(ctx.data().describe()));
        doc.put("normalisation", ctx.recordedText(String.valueOf(ctx.model().normalisation())));
        doc.put("projection", ctx.projectionSettings());
        doc.put("results", numbers);
        doc.put("explorer", explorer);
        doc.put("projector", projector);
        doc.put("provenance", provenance.asMap());
        Path json = dir.resolve("report.json");
        AtomicFiles.writeString(json, Results.toJson(doc));

        ReportPage page = new PageBuilder(ctx, dir, names).build(title, layers, projection, epochSeries, neurons,
                discriminative, grid, study, findings, omitted, warnings, seconds, timings, projector, provenance);
        Path index = HtmlReportWriter.write(page, dir);
        return new Written(index, json, seconds, timings, numbers, omitted);
    }

    /** Accuracy on the analysed observations at every checkpoint the report looked at, in epoch order. */
    static List<Map<String, Object>> accuracyPerCheckpoint(AnalysisContext ctx, Iterable<Integer> epochs) {
        int[] y = ctx.labels();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int epoch : epochs) {
            int[] predicted = ctx.predicted(epoch);
            int correct = 0;
            for (int i = 0; i < y.length; i++) {
                if (predicted[i] == y[i]) {
                    correct++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("accuracy", y.length == 0 ? null : (double) correct / y.length);
            m.put("misclassified", y.length - correct);
            m.put("observations", y.length);
            out.add(m);
        }
        return out;
    }

    /** The classes the last layer separates worst and best: the most and least interesting neuron maps. */
    static int[] defaultLabels(double[] perClass) {
        int worst = argMin(perClass);
        int best = argMax(perClass);
        return worst == best ? new int[] {worst} : new int[] {worst, best};
    }

    static String cellId(String table, int row, String column) {
        return table + "-" + row + "-" + column;
    }

    static String classCellId(int layerRow, int cls) {
        return "class-" + layerRow + "-" + cls;
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static int argMin(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] < v[arg])) {
                arg = i;
            }
        }
        return arg;
    }

    static int argMax(double[] v) {
        int arg = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i]) && (arg < 0 || v[i] > v[arg])) {
                arg = i;
            }
        }
        return arg;
    }

    static Map.Entry<String, String> kv(String k, String v) {
        return new SimpleEntry<>(k, v);
    }

    /** Rows "t-SNE perplexity = 30" for each component of a record (the parameters table, not a record string). */
    static List<List<ReportPage.Cell>> recordRows(String prefix, Record r) {
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                rows.add(List.of(ReportPage.Cell.of(prefix + " " + c.getName()), ReportPage.Cell.of(String.valueOf(v))));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
        }
        return rows;
    }

    /**
     * Names of the hidden layers as the model describes them ({@code ModelSeries.describe()}'s "hidden_layers":
     * number, name, tensor, units and whatever else the model stage records), read generically so that fields the
     * model stage adds later appear without changes here.
     */
    static final class Describer {
        final Map<String, Object> model;
        final List<Map<String, Object>> hidden = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Describer(AnalysisContext ctx) {
            this.model = ctx.model().describe();
            if (model.get("hidden_layers") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        hidden.add((Map<String, Object>) m);
                    }
                }
            }
        }

        Map<String, Object> of(int layer) {
            for (Map<String, Object> m : hidden) {
                if (m.get("number") instanceof Number n && n.intValue() == layer) {
                    return m;
                }
            }
            return Map.of();
        }

        /** "layer 4 (dense4)". */
        String layerShort(int layer) {
            Object name = of(layer).get("name");
            return "layer " + layer + (name == null ? "" : " (" + name + ")");
        }

        /** "layer 4 (dense4, tensor /dense4/Relu_output_0, 256 units, kind dense)". */
        String layer(int layer) {
            Map<String, Object> m = of(layer);
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Object> e : m.entrySet()) {
                if (e.getKey().equals("number") || e.getValue() == null) {
                    continue;
                }
                String v = String.valueOf(e.getValue());
                parts.add(switch (e.getKey()) {
                    case "name" -> v;
                    case "units" -> v + " units";
                    default -> e.getKey() + " " + v;
                });
            }
            return "layer " + layer + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
        }
    }
}
