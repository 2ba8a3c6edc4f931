package org.hiddenactivity.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.Analysis;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.Figures;
import org.hiddenactivity.analysis.LayerNames;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Outputs;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.render.Palette;

/** Turns the report's results into a {@link ReportPage}: what was analysed, findings, sections, parameters. */
final class PageBuilder {
    private final AnalysisContext ctx;
    private final Path dir;
    private final LayerNames names;
    private final Map<Analysis.Result, Outputs.Written> files;

    /** {@code files}: what was written for each result (its figures by key). */
    PageBuilder(AnalysisContext ctx, Path dir, LayerNames names, Map<Analysis.Result, Outputs.Written> files) {
        this.ctx = ctx;
        this.dir = dir;
        this.names = names;
        this.files = files;
    }

    /** The analyses this class has a section of its own for; any other gets {@link #genericSection}. */
    static final java.util.Set<String> OWN_SECTIONS = java.util.Set.of("layers", "projection", "epochs",
            "neuron_maps", "neurons", "discriminative", "importance_grid", "findings");

    ReportPage build(String title, Evolution.Result layers, ActivationProjection.Result projection,
                     Evolution.Result epochs, NeuronAnalysis.Projections neurons,
                     NeuronAnalysis.DiscriminativeResult discriminative, NeuronAnalysis.ImportanceGrid grid,
                     NeuronAnalysis.Study study,
                     Findings.Result findings, Map<String, String> omitted, List<String> warnings, double seconds,
                     Map<String, Double> timings, Map<String, Object> projector, RunProvenance provenance,
                     Map<String, Analysis.Result> others) {
        ReportPage p = new ReportPage();
        List<String> classNames = ctx.data().classNames();
        p.title = title;
        p.subtitle = "After Rauber, Fadel, Falcão, Telea, \"Visualizing the Hidden Activity of Artificial Neural Networks\" (IEEE TVCG 2017).";
        p.jsonFile = "report.json";
        p.explorer = true;
        p.warnings.addAll(warnings);
        p.summary.add(ReportBuilder.kv("model", ctx.model().name() + " (" + ctx.model().checkpoints().size()
                + " checkpoint" + (ctx.model().checkpoints().size() == 1 ? "" : "s") + ", epochs " + ctx.model().epochs() + ")"));
        p.summary.add(ReportBuilder.kv("hidden layers", String.valueOf(ctx.layerCount())));
        p.summary.add(ReportBuilder.kv("dataset", ctx.recordedText(String.valueOf(ctx.data().describe()))));
        p.summary.add(ReportBuilder.kv("input normalisation", ctx.recordedText(String.valueOf(ctx.model().normalisation()))));
        p.summary.add(ReportBuilder.kv("t-SNE backend", ctx.backend().name() + " (" + ctx.backend().availability().device() + ")"));
        p.summary.add(ReportBuilder.kv("total time", String.format(Locale.ROOT, "%.1f s", seconds)));
        p.layers = layerTable();
        for (Map.Entry<String, Object> e : names.model.entrySet()) {
            if (!e.getKey().equals("hidden_layers")) {
                p.inputs.add(ReportBuilder.kv("model " + e.getKey(), ctx.recordedText(text(e.getValue()))));
            }
        }
        p.inputs.add(ReportBuilder.kv("dataset used", ctx.recordedText(text(ctx.data().describe()))));
        p.inputs.add(ReportBuilder.kv("normalisation used", ctx.recordedText(String.valueOf(ctx.model().normalisation()))));
        p.findings.addAll(findings.findings());
        p.withinUncertainty.addAll(findings.withinUncertainty());
        p.findingsMethod = findings.method();

        if (layers != null) {
            List<ReportPage.Figure> figs = new ArrayList<>();
            figs.add(classFigure(layers, Evolution.Result.TRAILS, "Bundled trails", "each observation's path through the layers, bundled per class"));
            figs.add(classFigure(layers, Evolution.Result.TRACE, "Trace", "unbundled; later segments more opaque"));
            for (int t = 0; t < layers.steps().size(); t++) {
                figs.add(classFigure(layers, Evolution.Result.stepFigure(t), names.layerShort(layers.steps().get(t).layer()), ""));
            }
            p.sections.add(new ReportPage.Section("layers", "Inter-layer evolution (epoch " + layers.steps().get(0).epoch() + ")",
                    "The projections of every hidden layer of the last checkpoint, " + layers.alignment().id()
                            + " alignment. Hue = class; brightness = depth (dark = first layer, bright = last). "
                            + klNote(layers) + ink(layers),
                    figs, List.of(stepTable("layers", "Quality per layer", layers), classTable(layers, classNames))));
        } else {
            p.sections.add(ReportPage.Section.omitted("layers", "Inter-layer evolution", omitted.get("layers")));
        }

        p.sections.add(new ReportPage.Section("projection", "Activation projection (" + names.layerShort(projection.layer())
                + ", epoch " + projection.epoch() + ")", "t-SNE of the last hidden layer on its own; crosses mark the "
                + projection.misclassified() + " misclassified observations.",
                List.of(classFigure(projection, ActivationProjection.FIGURE, names.layerShort(projection.layer()), "")),
                List.of(new ReportPage.Table("projection-table", "Quality", List.of("neighbourhood hit (k=6)",
                        "trustworthiness (k=12)", "KL divergence", "misclassified"),
                        List.of(List.of(num(projection.quality().neighbourhoodHit()), num(projection.quality().trustworthiness()),
                                num(projection.quality().klDivergence()),
                                new ReportPage.Cell(String.valueOf(projection.misclassified()), "projection-mis")))))));

        if (epochs != null) {
            List<ReportPage.Figure> efigs = new ArrayList<>();
            efigs.add(classFigure(epochs, Evolution.Result.TRAILS, "Bundled trails", "each observation's path through training, bundled per class"));
            efigs.add(classFigure(epochs, Evolution.Result.TRACE, "Trace", "unbundled"));
            for (int t = 0; t < epochs.steps().size(); t++) {
                efigs.add(classFigure(epochs, Evolution.Result.stepFigure(t), epochs.steps().get(t).label(), ""));
            }
            p.sections.add(new ReportPage.Section("epochs", "Inter-epoch evolution (" + names.layer(epochs.steps().get(0).layer()) + ")",
                    "One layer across the checkpoints, " + epochs.alignment().id() + " alignment. Brightness = epoch"
                            + " (dark = first). " + klNote(epochs) + ink(epochs),
                    efigs, List.of(stepTable("epochs", "Quality per epoch", epochs))));
        } else {
            p.sections.add(ReportPage.Section.omitted("epochs", "Inter-epoch evolution", omitted.get("epochs")));
        }
        if (!study.comparison()) {
            p.sections.add(ReportPage.Section.omitted("before-after", "Before and after training", omitted.get("before_after")));
        }

        List<ReportPage.Figure> nfigs = new ArrayList<>();
        List<List<ReportPage.Cell>> nrows = new ArrayList<>();
        for (int i = 0; i < neurons.perLabel().size(); i++) {
            NeuronAnalysis.ProjectionResult r = neurons.perLabel().get(i);
            nfigs.add(importanceFigure(neurons, NeuronAnalysis.Projections.figureKey(i), "Class '" + classNames.get(r.label()) + "'",
                    study.comparison() ? "before / after training, one layout, one colour scale" : "the only checkpoint"));
            Map<?, ?> b = (Map<?, ?>) r.numbers().get("before");
            Map<?, ?> a = (Map<?, ?>) r.numbers().get("after");
            nrows.add(List.of(ReportPage.Cell.of(classNames.get(r.label())),
                    ReportPage.Cell.of(b == null ? "–" : String.valueOf(b.get("neurons_holding_half_the_importance"))),
                    ReportPage.Cell.of(String.valueOf(a.get("neurons_holding_half_the_importance"))),
                    ReportPage.Cell.of(b == null ? "–" : String.valueOf(b.get("dead_neurons"))),
                    ReportPage.Cell.of(String.valueOf(a.get("dead_neurons")))));
        }
        nfigs.add(importanceFigure(grid, NeuronAnalysis.ImportanceGrid.FIGURE, "Every class", "importance for each class vs the rest, small multiples"));
        String alignment = study.comparison() ? String.format(Locale.ROOT, " The after-training map is laid out on its"
                + " own, then rotated%s, scaled and moved onto the before map (Procrustes over the neurons alive in"
                + " both; root-mean-square distance left %.3g in the before map's units): each map stays exactly what"
                + " its own projection found, and a neuron's move between them is visible. Both maps share one colour"
                + " scale.", study.alignment().reflects() ? " and mirrored" : "", study.alignment().residual()) : "";
        p.sections.add(new ReportPage.Section("neurons", "Neuron projections (" + names.layer(study.layer()) + ")",
                "Each point is a neuron; dissimilarity = 1 - |Pearson r| of two neurons' activations, laid out by "
                        + study.layout().describe() + ". Colour = importance for telling the class from the rest "
                        + "(extremely randomized trees, mean decrease in impurity). Dead neurons are drawn apart."
                        + alignment,
                nfigs, List.of(new ReportPage.Table("neurons-table", "Importance concentration",
                        List.of("class", "neurons holding half the importance, before", "after", "dead before", "dead after"), nrows))));

        Map<?, ?> db = (Map<?, ?>) discriminative.numbers().get("before");
        Map<?, ?> da = (Map<?, ?>) discriminative.numbers().get("after");
        List<String> headers = new ArrayList<>(List.of(""));
        if (db != null) {
            headers.add("before (epoch " + discriminative.before().epoch() + ")");
        }
        headers.add((db != null ? "after" : "the only checkpoint") + " (epoch " + discriminative.after().epoch() + ")");
        List<ReportPage.Cell> dead = new ArrayList<>(List.of(ReportPage.Cell.of("dead neurons")));
        List<ReportPage.Cell> spec = new ArrayList<>(List.of(ReportPage.Cell.of("specialisation (mean share of importance going to the top class)")));
        if (db != null) {
            dead.add(ReportPage.Cell.of(String.valueOf(db.get("dead_neurons"))));
            spec.add(num((Double) db.get("specialisation")));
        }
        List<ReportPage.Cell> groups = new ArrayList<>(List.of(ReportPage.Cell.of("neighbours sharing the top class"
                + " (each neuron's 6 nearest in the map; by chance in brackets)")));
        if (db != null) {
            groups.add(ReportPage.Cell.of(groupCell(db)));
        }
        dead.add(new ReportPage.Cell(String.valueOf(da.get("dead_neurons")), "neurons-dead-after"));
        spec.add(new ReportPage.Cell(ReportBuilder.fmt((Double) da.get("specialisation")), "neurons-specialisation-after"));
        groups.add(new ReportPage.Cell(groupCell(da), "neurons-groups-after"));
        p.sections.add(new ReportPage.Section("discriminative", "Discriminative neuron map (" + names.layer(discriminative.layer()) + ")",
                "Each neuron takes the colour of the class it is most important for; opacity = that importance divided"
                        + " by the class's largest importance over both maps. Same layout as the neuron projections.",
                List.of(classFigure(discriminative, NeuronAnalysis.DiscriminativeResult.FIGURE, "Discriminative map", study.comparison() ? "before / after training" : "the only checkpoint")),
                List.of(new ReportPage.Table("discriminative-table", "Neurons", headers, List.of(dead, spec, groups)))));

        others.forEach((id, r) -> p.sections.add(r == null ? ReportPage.Section.omitted(id, id, omitted.get(id))
                : genericSection(id, r)));

        List<List<ReportPage.Cell>> params = new ArrayList<>();
        params.add(row("observations", String.valueOf(ctx.data().size())));
        params.add(row("seed", String.valueOf(ctx.options().seed())));
        params.addAll(ReportBuilder.recordRows("t-SNE", ctx.options().tsneParameters()));
        params.add(row("layer alignment", layers != null ? layers.alignment().id() : "–"));
        params.add(row("epoch alignment", epochs != null ? epochs.alignment().id() : "–"));
        params.add(row("dynamic t-SNE lambda", String.valueOf(ctx.options().lambda())
                + (usesDynamic(layers, epochs) ? "" : " (not used: no dynamic alignment)")));
        params.add(row("bundling", ctx.options().bundle() ? "KDEEB, default parameters" : "off"));
        params.add(row("image size", ctx.options().imageSize() + " px"));
        params.add(row("features", "z-scored per column, constant columns set to 0"));
        params.add(row("neuron layout", study.layout().describe() + (study.comparison() ? ", after map Procrustes-aligned to the before map" : "")));
        params.add(row("neuron importance", "extremely randomized trees, 100 trees, mean decrease in impurity, one-vs-rest, seed + class"));
        params.add(row("findings", Bootstrap.RESAMPLES + " bootstrap resamples, 95% percentile intervals"));
        p.parameters = new ReportPage.Table("parameters-table", "Parameters", List.of("parameter", "value"), params);
        timings.forEach((k, v) -> p.timings.add(ReportBuilder.kv(k, String.format(Locale.ROOT, "%.2f", v))));
        p.timings.add(ReportBuilder.kv("total", String.format(Locale.ROOT, "%.2f", seconds)));
        p.exports.add(ReportBuilder.kv("every projection", "figures/*.csv (index, x, y, label, prediction, layer, epoch) and figures/*.npy"));
        if (projector != null) {
            p.exports.add(ReportBuilder.kv("Embedding Projector", "projector/: " + projector.get("tensors")
                    + " (tensors.tsv, metadata.tsv each), sprite.png, projector_config.pbtxt"));
        }
        p.provenanceJson = Results.toJson(provenance.asMap());
        return p;
    }

    /**
     * The section of a registered analysis without a section of its own: its figures, and its numbers that are
     * single values, so that a new analysis shows on the page from its registration alone.
     */
    private ReportPage.Section genericSection(String id, Analysis.Result r) {
        List<ReportPage.Figure> figs = new ArrayList<>();
        Outputs.Written written = files.get(r);
        if (written != null) {
            written.figures().keySet().forEach(key -> figs.add(figure(r, key, key, "")));
        }
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        r.numbers().forEach((k, v) -> {
            if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                rows.add(row(k, v instanceof Double d ? ReportBuilder.fmt(d) : String.valueOf(v)));
            }
        });
        return new ReportPage.Section(id, id, "", figs, rows.isEmpty() ? List.of()
                : List.of(new ReportPage.Table(id + "-table", "Numbers", List.of("number", "value"), rows)));
    }

    /** One row per hidden layer, one column per field the model stage describes (number, name, tensor, units, ...). */
    private ReportPage.Table layerTable() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        names.hidden.forEach(m -> keys.addAll(m.keySet()));
        List<String> headers = new ArrayList<>(keys);
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (Map<String, Object> m : names.hidden) {
            List<ReportPage.Cell> row = new ArrayList<>();
            for (String k : headers) {
                Object v = m.get(k);
                row.add(new ReportPage.Cell(v == null ? "" : text(v), k.equals("number") ? "layer-" + v : null));
            }
            rows.add(row);
        }
        return new ReportPage.Table("layers-described", "Hidden layers analysed", headers, rows);
    }

    private static boolean usesDynamic(Evolution.Result layers, Evolution.Result epochs) {
        return (layers != null && layers.alignment() == Alignment.DYNAMIC)
                || (epochs != null && epochs.alignment() == Alignment.DYNAMIC);
    }

    /** A joint t-SNE has one KL for all snapshots: say it once instead of on every row. */
    private static String klNote(Evolution.Result r) {
        if (r.alignment() != Alignment.JOINT) {
            return "";
        }
        return String.format(Locale.ROOT, "One joint t-SNE over all %d snapshots: KL divergence %s. ",
                r.steps().size(), ReportBuilder.fmt(r.steps().get(0).quality().klDivergence()));
    }

    /** The ink sentence in the direction measured (bundling can lengthen trails as well as shorten them). */
    private static String ink(Evolution.Result r) {
        String s = r.inkStatement();
        return s == null ? "" : " " + s;
    }

    private ReportPage.Table stepTable(String id, String title, Evolution.Result r) {
        boolean perStepKl = r.alignment() != Alignment.JOINT;
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (int t = 0; t < r.steps().size(); t++) {
            Evolution.Step s = r.steps().get(t);
            List<ReportPage.Cell> row = new ArrayList<>();
            row.add(ReportPage.Cell.of(id.equals("layers") ? names.layerShort(s.layer()) : s.label()));
            row.add(new ReportPage.Cell(ReportBuilder.fmt(s.quality().neighbourhoodHit()), ReportBuilder.cellId(id, t, "nh")));
            row.add(new ReportPage.Cell(ReportBuilder.fmt(s.quality().trustworthiness()), ReportBuilder.cellId(id, t, "trust")));
            if (perStepKl) {
                row.add(new ReportPage.Cell(ReportBuilder.fmt(s.quality().klDivergence()), ReportBuilder.cellId(id, t, "kl")));
            }
            row.add(new ReportPage.Cell(String.valueOf(s.misclassified()), ReportBuilder.cellId(id, t, "mis")));
            rows.add(row);
        }
        List<String> headers = new ArrayList<>(List.of("step", "neighbourhood hit (k=6)", "trustworthiness (k=12)"));
        if (perStepKl) {
            headers.add("KL divergence");
        }
        headers.add("misclassified");
        return new ReportPage.Table(id + "-table", title, headers, rows);
    }

    private ReportPage.Table classTable(Evolution.Result r, List<String> classNames) {
        List<String> headers = new ArrayList<>();
        headers.add("class");
        r.steps().forEach(s -> headers.add(names.layerShort(s.layer())));
        List<List<ReportPage.Cell>> rows = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            List<ReportPage.Cell> row = new ArrayList<>();
            row.add(ReportPage.Cell.of(classNames.get(c)));
            for (int t = 0; t < r.steps().size(); t++) {
                row.add(new ReportPage.Cell(ReportBuilder.fmt(r.steps().get(t).quality().perClassHit()[c]),
                        ReportBuilder.classCellId(t, c)));
            }
            rows.add(row);
        }
        return new ReportPage.Table("class-table", "Neighbourhood hit per class and layer", headers, rows);
    }

    private ReportPage.Figure figure(Analysis.Result result, String key, String title, String caption) {
        Figures.Files f = files.get(result).figure(key);
        return new ReportPage.Figure(title, relative(f.thumbnail()), relative(f.image()), caption);
    }

    /** A figure whose hue is the class: the HTML legend lists each class's colour and marker. */
    private ReportPage.Figure classFigure(Analysis.Result result, String key, String title, String caption) {
        Figures.Files f = files.get(result).figure(key);
        List<ReportPage.LegendEntry> legend = new ArrayList<>();
        List<String> classNames = ctx.data().classNames();
        for (int c = 0; c < classNames.size(); c++) {
            legend.add(new ReportPage.LegendEntry(classNames.get(c), ExplorerData.hex(Palette.classColour(c)),
                    Palette.classMarker(c)));
        }
        return new ReportPage.Figure(title, relative(f.thumbnail()), relative(f.image()), caption, legend);
    }

    /** A neuron figure coloured by importance: the HTML legend shows the colour scale. */
    private ReportPage.Figure importanceFigure(Analysis.Result result, String key, String title, String caption) {
        Figures.Files f = files.get(result).figure(key);
        StringBuilder ramp = new StringBuilder("linear-gradient(to right");
        for (double t = 0; t <= 1.0001; t += 0.25) {
            ramp.append(", ").append(ExplorerData.hex(Palette.viridis(t)));
        }
        ramp.append(")");
        return new ReportPage.Figure(title, relative(f.thumbnail()), relative(f.image()), caption,
                List.of(new ReportPage.LegendEntry("importance: 0 to the largest", ramp.toString(), "bar")));
    }

    private String relative(Path file) {
        return dir.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static List<ReportPage.Cell> row(String k, String v) {
        return List.of(ReportPage.Cell.of(k), ReportPage.Cell.of(v));
    }

    private static ReportPage.Cell num(double v) {
        return ReportPage.Cell.of(ReportBuilder.fmt(v));
    }

    private static String groupCell(Map<?, ?> side) {
        return ReportBuilder.fmt((Double) side.get("top_class_neighbourhood_hit_k6")) + " ("
                + ReportBuilder.fmt((Double) side.get("top_class_neighbourhood_hit_chance")) + ")";
    }

    private static String text(Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?> || (v != null && v.getClass().isArray())) {
            return Results.toJson(v).replaceAll("\\s+", " ");
        }
        return String.valueOf(v);
    }
}
