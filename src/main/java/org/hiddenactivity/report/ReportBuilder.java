package org.hiddenactivity.report;

import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.Analyses;
import org.hiddenactivity.analysis.Analysis;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisRun;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.LayerNames;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Outputs;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.analysis.Selection;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.RecordFields;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Projection;

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

    /**
     * What the report runs; the defaults follow the notebook, and the paper for the neuron layout (t-SNE).
     * {@code otherProjections}: methods besides the run's own (--projection tsne,umap,pca: the first is the run's)
     * whose layer and epoch sequences go to the explorer and report.json too; the figures and findings are the
     * first method's.
     */
    public record Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                       NeuronAnalysis.Layout neuronLayout, ProjectorTensors projector,
                       List<Projection.Method> otherProjections) {
        public Plan {
            otherProjections = otherProjections == null ? List.of() : List.copyOf(otherProjections);
        }

        public Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                    NeuronAnalysis.Layout neuronLayout, ProjectorTensors projector) {
            this(layerAlignment, epochAlignment, epochs, labels, neuronLayout, projector, List.of());
        }

        public Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                    NeuronAnalysis.Layout neuronLayout) {
            this(layerAlignment, epochAlignment, epochs, labels, neuronLayout, ProjectorTensors.LAST);
        }
    }

    /** The written report; {@code omitted} maps each left-out section to the reason. */
    public record Written(Path index, Path json, double seconds, Map<String, Double> timings, Map<String, Object> numbers,
                          Map<String, String> omitted) {}

    private ReportBuilder() {}

    /** The analyses of the report in order: every registered analysis, then the findings drawn from them. */
    static final List<Analysis<?, ?>> ANALYSES = concat(Analyses.ALL, List.of(Findings.ANALYSIS));

    public static Written run(AnalysisContext ctx, Plan plan, Path dir) {
        return run(ctx, plan, dir, ANALYSES);
    }

    /** The report with {@code analyses} (the registered ones, and in tests one more). */
    static Written run(AnalysisContext ctx, Plan plan, Path dir, List<Analysis<?, ?>> analyses) {
        long start = System.nanoTime();
        Path figures = dir.resolve("figures");
        ctx.recordSetting("bootstrap", Bootstrap.settings());
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
        LayerNames names = new LayerNames(ctx);
        AnalysisRun run = new AnalysisRun(ctx, Selection.DEFAULTS.withLayer(lastLayer).withEpoch(last)
                .withEpochs(epochs).withLayerAlignment(plan.layerAlignment())
                .withEpochAlignment(plan.epochAlignment()).withLabels(plan.labels())
                .withNeuronLayout(plan.neuronLayout()));

        // every analysis: computed, its files written, its numbers recorded, or left out with its reason
        Map<String, String> omitted = new LinkedHashMap<>();
        Map<String, Object> numbers = new LinkedHashMap<>();
        Map<Analysis.Result, Outputs.Written> files = new IdentityHashMap<>();
        for (Analysis<?, ?> a : analyses) {
            if (a == Findings.ANALYSIS) {
                numbers.put("accuracy_per_checkpoint", accuracyPerCheckpoint(ctx, checkpoints(run, epochs)));
            }
            runOne(run, a, figures, numbers, omitted, files);
        }
        double analysisSeconds = (System.nanoTime() - start) / 1e9;
        Evolution.Result layers = run.optional(Evolution.LAYERS);
        Evolution.Result epochSeries = run.optional(Evolution.EPOCHS);
        ActivationProjection.Result projection = run.result(ActivationProjection.ANALYSIS);
        NeuronAnalysis.Study study = run.result(NeuronAnalysis.MAPS);
        NeuronAnalysis.DiscriminativeResult discriminative = run.result(NeuronAnalysis.DISCRIMINATIVE);

        // the explorer and the exports
        long exportStart = System.nanoTime();
        String method = ctx.options().projection().id();
        List<ExplorerData.Sequence> sequences = new ArrayList<>(sequences(run, names, method));
        // the other projection methods: their sequences for the explorer (same ids) and their numbers
        Map<String, Object> others = new LinkedHashMap<>();
        for (Projection.Method m : plan.otherProjections()) {
            AnalysisRun other = new AnalysisRun(ctx.withProjection(m), run.selection());
            Map<String, Object> otherNumbers = new LinkedHashMap<>();
            otherNumbers.put("projection", other.ctx().projectionSettings());
            Map<String, String> otherOmitted = new LinkedHashMap<>();
            for (Analysis<?, ?> a : List.of(Evolution.LAYERS, Evolution.EPOCHS)) {
                try {
                    runOne(other, a, null, otherNumbers, otherOmitted, null);
                } catch (HavException e) {
                    // e.g. dynamic alignment, which only t-SNE has: this method's sequence is left out, with why
                    otherOmitted.put(a.id(), "Left out for " + m.id() + ": " + e.getMessage());
                    a.reportOmitted(otherNumbers);
                }
            }
            otherNumbers.put("omitted", otherOmitted);
            sequences.addAll(sequences(other, names, m.id()));
            if (layers == null && epochSeries == null) {
                otherNumbers.put(ActivationProjection.ANALYSIS.id(), other.result(ActivationProjection.ANALYSIS)
                        .numbers());
            }
            others.put(m.id(), otherNumbers);
        }
        if (!others.isEmpty()) {
            numbers.put("other_projections", others);
        }
        TreeSet<Integer> checkpoints = checkpoints(run, epochs);
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

        ReportPage page = new PageBuilder(ctx, dir, names, files).build(title, layers, projection, epochSeries,
                run.result(NeuronAnalysis.NEURONS), discriminative, run.result(NeuronAnalysis.IMPORTANCE_GRID), study,
                run.result(Findings.ANALYSIS), omitted, warnings, seconds, timings, projector, provenance,
                withoutOwnSection(run, analyses));
        Path index = HtmlReportWriter.write(page, dir);
        return new Written(index, json, seconds, timings, numbers, omitted);
    }

    /** Runs {@code a} (or records why it is left out), writes its files into {@code dir}, records its numbers. */
    private static <I, R extends Analysis.Result> void runOne(AnalysisRun run, Analysis<I, R> a, Path dir,
            Map<String, Object> numbers, Map<String, String> omitted, Map<Analysis.Result, Outputs.Written> files) {
        String why = run.omission(a);
        if (why != null) {
            omitted.put(a.id(), why);
            a.reportOmitted(numbers);
            return;
        }
        R r = run.result(a);
        omitted.putAll(r.omittedParts());
        if (dir != null) {
            files.put(r, Outputs.write(run.ctx(), r, dir));
        }
        a.report(r, numbers);
    }

    /** The result of {@code a} when the run computed it, else null (left out, or refused for this method). */
    private static <I, R extends Analysis.Result> R computed(AnalysisRun run, Analysis<I, R> a) {
        return run.done(a) ? run.result(a) : null;
    }

    /**
     * The explorer's observation views of one projection method: the layer and epoch sequences, or the activation
     * projection alone when neither runs.
     */
    private static List<ExplorerData.Sequence> sequences(AnalysisRun run, LayerNames names, String method) {
        AnalysisContext ctx = run.ctx();
        int last = run.selection().epochOr(ctx);
        int lastLayer = run.selection().layerOr(ctx);
        Evolution.Result layers = computed(run, Evolution.LAYERS);
        Evolution.Result epochSeries = computed(run, Evolution.EPOCHS);
        List<ExplorerData.Sequence> sequences = new ArrayList<>();
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
            ActivationProjection.Result projection = run.result(ActivationProjection.ANALYSIS);
            Evolution.Step only = new Evolution.Step("layer " + lastLayer, lastLayer, last, projection.points(),
                    projection.quality(), projection.misclassified(), projection.predicted());
            sequences.add(new ExplorerData.Sequence("projection", "Activation projection (" + names.layerShort(lastLayer)
                    + ", epoch " + last + ")", "independent", false, List.of(only),
                    List.of(names.layerShort(lastLayer)), method));
        }
        return sequences;
    }

    /** The registered analyses the page has no section of its own for, by id: their result, or null if left out. */
    private static Map<String, Analysis.Result> withoutOwnSection(AnalysisRun run, List<Analysis<?, ?>> analyses) {
        Map<String, Analysis.Result> out = new LinkedHashMap<>();
        for (Analysis<?, ?> a : analyses) {
            if (!PageBuilder.OWN_SECTIONS.contains(a.id())) {
                out.put(a.id(), run.done(a) ? resultOf(run, a) : null);
            }
        }
        return out;
    }

    private static <I, R extends Analysis.Result> R resultOf(AnalysisRun run, Analysis<I, R> a) {
        return run.result(a);
    }

    /** The checkpoints the report looked at: the epoch series, the last epoch and the neuron maps' epochs. */
    private static TreeSet<Integer> checkpoints(AnalysisRun run, List<Integer> epochs) {
        TreeSet<Integer> checkpoints = new TreeSet<>(epochs);
        checkpoints.add(run.ctx().model().lastEpoch());
        run.result(NeuronAnalysis.MAPS).maps().forEach(m -> checkpoints.add(m.epoch()));
        return checkpoints;
    }

    private static List<Analysis<?, ?>> concat(List<Analysis<?, ?>> a, List<Analysis<?, ?>> b) {
        List<Analysis<?, ?>> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
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

    static String cellId(String table, int row, String column) {
        return table + "-" + row + "-" + column;
    }

    static String classCellId(int layerRow, int cls) {
        return "class-" + layerRow + "-" + cls;
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static Map.Entry<String, String> kv(String k, String v) {
        return new SimpleEntry<>(k, v);
    }

    /** Rows "t-SNE perplexity = 30" for each component of a record (the parameters table, not a record string). */
    static List<List<ReportPage.Cell>> recordRows(String prefix, Record r) {
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        RecordFields.of(r).forEach((name, v) -> rows.add(List.of(ReportPage.Cell.of(prefix + " " + name),
                ReportPage.Cell.of(String.valueOf(v)))));
        return rows;
    }
}
