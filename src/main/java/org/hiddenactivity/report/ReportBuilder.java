package org.hiddenactivity.report;

import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.Figures;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.projection.Alignment;

/**
 * {@code hav report}: the notebook's sequence of analyses on one model (all layers at the last epoch, the epoch series
 * of the last layer, neuron projections for two classes, the discriminative map), written as a headless HTML report
 * with every figure, the quality metrics, timings, provenance and findings computed from the numbers.
 */
public final class ReportBuilder {
    /** What the report runs; the defaults follow the notebook. */
    public record Plan(Alignment layerAlignment, Alignment epochAlignment, List<Integer> epochs, int[] labels,
                       NeuronAnalysis.Layout neuronLayout) {}

    /** The written report. */
    public record Written(Path index, Path json, double seconds, Map<String, Double> timings, Map<String, Object> numbers) {}

    private ReportBuilder() {}

    public static Written run(AnalysisContext ctx, Plan plan, Path dir) {
        long start = System.nanoTime();
        Path figures = dir.resolve("figures");
        int last = ctx.model().lastEpoch();
        int lastLayer = ctx.layerCount();
        List<Integer> epochs = plan.epochs() != null ? plan.epochs()
                : ctx.model().checkpoints().stream().map(Checkpoint::epoch).toList();

        Evolution.Result layers = Evolution.layers(ctx, last, plan.layerAlignment(), figures);
        ActivationProjection.Result projection = ActivationProjection.run(ctx, lastLayer, last, figures);
        Evolution.Result epochSeries = Evolution.epochs(ctx, lastLayer, epochs, plan.epochAlignment(), figures);
        int[] labels = plan.labels() != null ? plan.labels() : defaultLabels(layers);
        List<NeuronAnalysis.ProjectionResult> neurons = new ArrayList<>();
        for (int label : labels) {
            neurons.add(NeuronAnalysis.projection(ctx, lastLayer, label, plan.neuronLayout(), figures));
        }
        NeuronAnalysis.DiscriminativeResult discriminative = NeuronAnalysis.discriminative(ctx, lastLayer, figures);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("layers", layers.numbers());
        numbers.put("projection", projection.numbers());
        numbers.put("epochs", epochSeries.numbers());
        List<Map<String, Object>> neuronNumbers = new ArrayList<>();
        neurons.forEach(r -> neuronNumbers.add(r.numbers()));
        numbers.put("neurons", neuronNumbers);
        numbers.put("discriminative", discriminative.numbers());
        numbers.put("timings_seconds", ctx.timer().seconds());
        numbers.put("total_seconds", seconds);
        RunProvenance provenance = ctx.provenance("report");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("results", numbers);
        doc.put("provenance", provenance.asMap());
        Path json = dir.resolve("report.json");
        AtomicFiles.writeString(json, Results.toJson(doc));

        ReportPage page = page(ctx, dir, layers, projection, epochSeries, neurons, discriminative, seconds, provenance);
        Path index = HtmlReportWriter.write(page, dir);
        return new Written(index, json, seconds, ctx.timer().seconds(), numbers);
    }

    /** The classes the last layer separates worst and best: the most and least interesting neuron maps. */
    static int[] defaultLabels(Evolution.Result layers) {
        double[] perClass = layers.steps().get(layers.steps().size() - 1).quality().perClassHit();
        int worst = Findings.argMin(perClass);
        int best = Findings.argMax(perClass);
        return worst == best ? new int[] {worst} : new int[] {worst, best};
    }

    static String cellId(String table, int row, String column) {
        return table + "-" + row + "-" + column;
    }

    static String classCellId(int layerRow, int cls) {
        return "class-" + layerRow + "-" + cls;
    }

    private static ReportPage page(AnalysisContext ctx, Path dir, Evolution.Result layers,
                                   ActivationProjection.Result projection, Evolution.Result epochs,
                                   List<NeuronAnalysis.ProjectionResult> neurons,
                                   NeuronAnalysis.DiscriminativeResult discriminative, double seconds, RunProvenance provenance) {
        ReportPage p = new ReportPage();
        List<String> names = ctx.data().classNames();
        p.title = "Hidden activity of " + ctx.model().name();
        p.subtitle = "After Rauber, Fadel, Falcão, Telea, \"Visualizing the Hidden Activity of Artificial Neural Networks\" (IEEE TVCG 2017).";
        p.jsonFile = "report.json";
        p.summary.add(kv("model", ctx.model().name() + " (" + ctx.model().checkpoints().size() + " checkpoints, epochs "
                + ctx.model().checkpoints().stream().map(c -> String.valueOf(c.epoch())).toList() + ")"));
        p.summary.add(kv("hidden layers", String.valueOf(ctx.layerCount())));
        p.summary.add(kv("dataset", ctx.data().name() + " test split, first " + ctx.data().size() + " observations"));
        p.summary.add(kv("t-SNE backend", ctx.backend().name() + " (" + ctx.backend().availability().device() + ")"));
        p.summary.add(kv("total time", String.format(Locale.ROOT, "%.1f s", seconds)));
        p.findings.addAll(Findings.compute(layers, epochs, discriminative, names));

        List<ReportPage.Figure> figs = new ArrayList<>();
        figs.add(figure(dir, layers.trails(), "Bundled trails", "each observation's path through the layers, bundled per class"));
        figs.add(figure(dir, layers.trace(), "Trace", "unbundled; later segments more opaque"));
        for (Evolution.Step s : layers.steps()) {
            figs.add(figure(dir, s.thumbnail(), s.label(), ""));
        }
        p.sections.add(new ReportPage.Section("layers", "Inter-layer evolution (epoch " + layers.steps().get(0).epoch() + ")",
                "The projections of every hidden layer of the last checkpoint, " + layers.alignment().id()
                        + " alignment. Hue = class; brightness = depth (dark = first layer, bright = last).",
                figs, List.of(stepTable("layers", "Quality per layer", layers), classTable(layers, names))));

        p.sections.add(new ReportPage.Section("projection", "Activation projection (layer " + projection.layer() + ", epoch "
                + projection.epoch() + ")", "t-SNE of the last hidden layer on its own; crosses mark the "
                + projection.misclassified() + " misclassified observations.",
                List.of(figure(dir, projection.figure(), "Layer " + projection.layer(), "")),
                List.of(new ReportPage.Table("projection-table", "Quality", List.of("neighbourhood hit (k=6)", "trustworthiness (k=12)", "KL divergence", "misclassified"),
                        List.of(List.of(num(projection.quality().neighbourhoodHit()), num(projection.quality().trustworthiness()),
                                num(projection.quality().klDivergence()), ReportPage.Cell.of(String.valueOf(projection.misclassified()))))))));

        List<ReportPage.Figure> efigs = new ArrayList<>();
        efigs.add(figure(dir, epochs.trails(), "Bundled trails", "each observation's path through training, bundled per class"));
        efigs.add(figure(dir, epochs.trace(), "Trace", "unbundled"));
        for (Evolution.Step s : epochs.steps()) {
            efigs.add(figure(dir, s.thumbnail(), s.label(), ""));
        }
        p.sections.add(new ReportPage.Section("epochs", "Inter-epoch evolution (layer " + epochs.steps().get(0).layer() + ")",
                "One layer across the checkpoints, " + epochs.alignment().id() + " alignment. Brightness = epoch (dark = first).",
                efigs, List.of(stepTable("epochs", "Quality per epoch", epochs))));

        List<ReportPage.Figure> nfigs = new ArrayList<>();
        List<List<ReportPage.Cell>> nrows = new ArrayList<>();
        for (NeuronAnalysis.ProjectionResult r : neurons) {
            nfigs.add(figure(dir, r.figure(), "Class '" + names.get(r.label()) + "'", "before / after training"));
            Map<?, ?> b = (Map<?, ?>) r.numbers().get("before");
            Map<?, ?> a = (Map<?, ?>) r.numbers().get("after");
            nrows.add(List.of(ReportPage.Cell.of(names.get(r.label())), ReportPage.Cell.of(String.valueOf(b.get("neurons_holding_half_the_importance"))),
                    ReportPage.Cell.of(String.valueOf(a.get("neurons_holding_half_the_importance"))),
                    ReportPage.Cell.of(String.valueOf(b.get("dead_neurons"))), ReportPage.Cell.of(String.valueOf(a.get("dead_neurons")))));
        }
        p.sections.add(new ReportPage.Section("neurons", "Neuron projections (layer " + discriminative.layer() + ")",
                "Each point is a neuron; dissimilarity = 1 - |Pearson r| of two neurons' activations, laid out by "
                        + neurons.get(0).layout().name() + ". Colour = importance for telling the class from the rest "
                        + "(extremely randomized trees, mean decrease in impurity). Dead neurons are drawn apart.",
                nfigs, List.of(new ReportPage.Table("neurons-table", "Importance concentration",
                        List.of("class", "neurons holding half the importance, before", "after", "dead before", "dead after"), nrows))));

        Map<?, ?> db = (Map<?, ?>) discriminative.numbers().get("before");
        Map<?, ?> da = (Map<?, ?>) discriminative.numbers().get("after");
        p.sections.add(new ReportPage.Section("discriminative", "Discriminative neuron map (layer " + discriminative.layer() + ")",
                "Each neuron takes the colour of the class it is most important for; opacity = that importance normalised within the class.",
                List.of(figure(dir, discriminative.figure(), "Discriminative map", "before / after training")),
                List.of(new ReportPage.Table("discriminative-table", "Neurons", List.of("", "before (epoch " + discriminative.before().epoch() + ")", "after (epoch " + discriminative.after().epoch() + ")"),
                        List.of(List.of(ReportPage.Cell.of("dead neurons"), ReportPage.Cell.of(String.valueOf(db.get("dead_neurons"))),
                                        new ReportPage.Cell(String.valueOf(da.get("dead_neurons")), "neurons-dead-after")),
                                List.of(ReportPage.Cell.of("specialisation (mean share of importance going to the top class)"),
                                        num((Double) db.get("specialisation")),
                                        new ReportPage.Cell(fmt((Double) da.get("specialisation")), "neurons-specialisation-after")))))));

        p.parameters.add(kv("size", String.valueOf(ctx.options().size())));
        p.parameters.add(kv("seed", String.valueOf(ctx.options().seed())));
        p.parameters.add(kv("t-SNE", ctx.options().tsneParameters().toString()));
        p.parameters.add(kv("layer alignment", layers.alignment().id()));
        p.parameters.add(kv("epoch alignment", epochs.alignment().id()));
        p.parameters.add(kv("dynamic t-SNE lambda", String.valueOf(ctx.options().lambda())));
        p.parameters.add(kv("bundling", ctx.options().bundle() ? "KDEEB, default parameters" : "off"));
        p.parameters.add(kv("image size", ctx.options().imageSize() + " px"));
        p.parameters.add(kv("features", "z-scored per column, constant columns set to 0"));
        ctx.timer().seconds().forEach((k, v) -> p.timings.add(kv(k, String.format(Locale.ROOT, "%.2f", v))));
        p.timings.add(kv("total", String.format(Locale.ROOT, "%.2f", seconds)));
        p.provenanceJson = Results.toJson(provenance.asMap());
        return p;
    }

    private static ReportPage.Table stepTable(String id, String title, Evolution.Result r) {
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (int t = 0; t < r.steps().size(); t++) {
            Evolution.Step s = r.steps().get(t);
            rows.add(List.of(ReportPage.Cell.of(s.label()),
                    new ReportPage.Cell(fmt(s.quality().neighbourhoodHit()), cellId(id, t, "nh")),
                    new ReportPage.Cell(fmt(s.quality().trustworthiness()), cellId(id, t, "trust")),
                    new ReportPage.Cell(fmt(s.quality().klDivergence()), cellId(id, t, "kl")),
                    new ReportPage.Cell(String.valueOf(s.misclassified()), cellId(id, t, "mis"))));
        }
        return new ReportPage.Table(id + "-table", title,
                List.of("step", "neighbourhood hit (k=6)", "trustworthiness (k=12)", "KL divergence", "misclassified"), rows);
    }

    private static ReportPage.Table classTable(Evolution.Result r, List<String> names) {
        List<String> headers = new ArrayList<>();
        headers.add("class");
        r.steps().forEach(s -> headers.add(s.label()));
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            List<ReportPage.Cell> row = new ArrayList<>();
            row.add(ReportPage.Cell.of(names.get(c)));
            for (int t = 0; t < r.steps().size(); t++) {
                row.add(new ReportPage.Cell(fmt(r.steps().get(t).quality().perClassHit()[c]), classCellId(t, c)));
            }
            rows.add(row);
        }
        return new ReportPage.Table("class-table", "Neighbourhood hit per class and layer", headers, rows);
    }

    private static ReportPage.Figure figure(Path dir, Figures.Files f, String title, String caption) {
        return new ReportPage.Figure(title, relative(dir, f.thumbnail()), relative(dir, f.image()), caption);
    }

    private static String relative(Path dir, Path file) {
        return dir.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static Map.Entry<String, String> kv(String k, String v) {
        return new SimpleEntry<>(k, v);
    }

    private static ReportPage.Cell num(double v) {
        return ReportPage.Cell.of(fmt(v));
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
