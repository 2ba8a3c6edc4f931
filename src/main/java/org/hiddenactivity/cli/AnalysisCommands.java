package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.analysis.ActivationProjection;
import org.hiddenactivity.analysis.Analyses;
import org.hiddenactivity.analysis.Analysis;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.AnalysisRun;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Outputs;
import org.hiddenactivity.analysis.Results;
import org.hiddenactivity.analysis.Selection;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.StagedOutput;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.report.ReportBuilder;

/** The analysis commands: project, layers, epochs, neurons, discriminative, report. */
final class AnalysisCommands {
    private AnalysisCommands() {}

    /** Shared plumbing: options, context, printing the outcome as text or JSON. */
    abstract static class Base implements HavCommand {
        @ParametersDelegate
        CommonOptions common = new CommonOptions();

        @ParametersDelegate
        AnalysisArgs args = new AnalysisArgs();

        @Override
        public boolean helpRequested() {
            return common.help;
        }

        @Override
        public int run() {
            AnalysisOptions options = args.toOptions(common);
            if (options.out() != null) {
                StagedOutput.checkWritableFolder(options.out(), "--out");
            }
            try (AnalysisContext ctx = AnalysisContext.open(options)) {
                ctx.recordPaths(new org.hiddenactivity.core.RecordedPaths(
                        org.hiddenactivity.core.RecordedPaths.mode(args.recordPaths), target(ctx)));
                ctx.recordCommandLine(CommandLineRecord.of(this));
                // everything is written into a staging folder and moved into place only when the run succeeded
                try (StagedOutput staged = StagedOutput.begin(target(ctx), "--out")) {
                    Map<String, Object> result;
                    try {
                        result = execute(ctx, staged.dir());
                    } catch (HavException e) {
                        throw staged.renamed(e);
                    }
                    result.put("timings_seconds", ctx.timer().seconds());
                    staged.commit();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> renamed = (Map<String, Object>) staged.finalPaths(result);
                    if (common.json) {
                        System.out.println(Results.toJson(renamed));
                    } else {
                        printText(renamed);
                    }
                }
            }
            return 0;
        }

        /** The analysis's name, the folder under generated/analyses/MODEL/ it writes by default. */
        abstract String analysis();

        /** The folder this run's outputs end up in. */
        Path target(AnalysisContext ctx) {
            return ctx.outputDir(analysis());
        }

        /** The registered analysis this command runs (by default the one named as its folder). */
        String analysisId() {
            return analysis();
        }

        /** What the command's options select (layer, epochs, alignment, ...). */
        abstract Selection selection(AnalysisContext ctx);

        /** Anything the command prints besides the result's numbers and figures. */
        void extras(AnalysisContext ctx, Map<String, Object> printed) {}

        /** Runs the registered analysis, writes its outputs into {@code dir}; returns what is printed. */
        Map<String, Object> execute(AnalysisContext ctx, Path dir) {
            if (args.projections().size() > 1) {
                throw new HavException("--projection " + args.projection, "names several methods; hav "
                        + analysis() + " projects with one", "name one (tsne, umap or pca), or run hav report"
                        + " --projection " + args.projection + " to see them side by side in the explorer");
            }
            AnalysisRun run = new AnalysisRun(ctx, selection(ctx));
            return runAndWrite(run, Analyses.byId(analysisId()), dir);
        }

        private <I, R extends Analysis.Result> Map<String, Object> runAndWrite(AnalysisRun run, Analysis<I, R> a,
                                                                              Path dir) {
            R r = run.result(a);
            Outputs.Written written = Outputs.write(run.ctx(), r, dir);
            Map<String, Object> m = withFiles(r.numbers(), dir);
            extras(run.ctx(), m);
            written.figures().forEach((key, f) -> {
                if (key.endsWith("figure")) {
                    m.put(key, f.image().toString());
                }
            });
            return m;
        }

        void printText(Map<String, Object> result) {
            result.forEach((k, v) -> {
                if (!(v instanceof Map) && !(v instanceof List) && !(v != null && v.getClass().isArray())) {
                    System.out.println(k + ": " + v);
                }
            });
            if (result.get("timings_seconds") instanceof Map<?, ?> timings) {
                System.out.println("seconds per stage:");
                timings.forEach((k, v) -> System.out.printf(java.util.Locale.ROOT, "  %-22s %8.2f%n", k, (Double) v));
            }
        }

        static Map<String, Object> withFiles(Map<String, Object> numbers, Path dir) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("output_dir", dir.toAbsolutePath().toString());
            m.putAll(numbers);
            return m;
        }
    }

    /** The alignment named by {@code s}; null for "auto" (the analysis picks its measured default). */
    static Alignment alignment(String s) {
        if ("auto".equalsIgnoreCase(s)) {
            return null;
        }
        for (Alignment a : Alignment.values()) {
            if (a.id().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new HavException("--alignment " + s, "unknown alignment", "use auto, independent, chained, joint or dynamic");
    }

    static List<Integer> parseEpochs(String s) {
        return parseInts("--epochs", s, "an epoch number", "0,20,40");
    }

    /** A comma-separated list of whole numbers given to {@code option}; null when the option is absent. */
    static List<Integer> parseInts(String option, String s, String what, String example) {
        if (s == null) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new HavException(option + " " + s, "'" + part.trim() + "' is not " + what,
                        "give a comma-separated list such as " + example);
            }
        }
        if (out.isEmpty()) {
            throw new HavException(option, "the list is empty", "give a comma-separated list such as " + example);
        }
        return out;
    }

    @Parameters(commandNames = "project", commandDescription = "Activation projection: t-SNE (or --projection umap|pca) of one hidden layer at one epoch")
    static final class Project extends Base {
        @Override
        String analysis() {
            return "project";
        }

        @Parameter(names = "--layer", description = "Hidden layer, from 1 (default: the last)")
        Integer layer;

        @Parameter(names = "--epoch", description = "Checkpoint epoch (default: the last)")
        Integer epoch;

        @Override
        String analysisId() {
            return ActivationProjection.ANALYSIS.id();
        }

        @Override
        Selection selection(AnalysisContext ctx) {
            return Selection.DEFAULTS.withLayer(layer).withEpoch(epoch);
        }

        @Override
        void extras(AnalysisContext ctx, Map<String, Object> printed) {
            printed.put("projection", ctx.options().projection().id());
        }
    }

    @Parameters(commandNames = "layers", commandDescription = "Inter-layer evolution: all hidden layers of one checkpoint, trails bundled per class")
    static final class Layers extends Base {
        @Override
        String analysis() {
            return "layers";
        }

        @Parameter(names = "--epoch", description = "Checkpoint epoch (default: the last)")
        Integer epoch;

        @Parameter(names = "--alignment", description = "auto (joint when every layer has the same width, else"
                + " dynamic), chained, independent, joint or dynamic")
        String alignment = "auto";

        @Override
        Selection selection(AnalysisContext ctx) {
            return Selection.DEFAULTS.withEpoch(epoch).withLayerAlignment(alignment(alignment));
        }
    }

    @Parameters(commandNames = "epochs", commandDescription = "Inter-epoch evolution: one layer across checkpoints, trails bundled per class")
    static final class Epochs extends Base {
        @Override
        String analysis() {
            return "epochs";
        }

        @Parameter(names = "--layer", description = "Hidden layer, from 1 (default: the last)")
        Integer layer;

        @Parameter(names = "--epochs", description = "Comma-separated epochs (default: every checkpoint)")
        String epochs;

        @Parameter(names = "--alignment", description = "joint, chained, independent or dynamic")
        String alignment = "joint";

        @Override
        Selection selection(AnalysisContext ctx) {
            return Selection.DEFAULTS.withLayer(layer).withEpochs(parseEpochs(epochs))
                    .withEpochAlignment(alignment(alignment));
        }
    }

    @Parameters(commandNames = "neurons", commandDescription = "Neuron projections before/after training, hue = importance for one class")
    static final class Neurons extends Base {
        @Override
        String analysis() {
            return "neurons";
        }

        @Parameter(names = "--layer", description = "Hidden layer, from 1 (default: the last)")
        Integer layer;

        @Parameter(names = "--label", description = "Class whose importance colours the neurons", required = true)
        int label;

        @Parameter(names = "--neuron-layout", description = "Neuron layout: tsne (the paper's and the report's, default) or mds (the notebook's)")
        String neuronLayout = NeuronAnalysis.Layout.DEFAULT.id();

        @Override
        Selection selection(AnalysisContext ctx) {
            if (layer != null) {
                ctx.checkLayer(layer);
            }
            return Selection.DEFAULTS.withLayer(layer).withLabels(new int[] {label})
                    .withNeuronLayout(NeuronAnalysis.Layout.parse(neuronLayout));
        }
    }

    @Parameters(commandNames = "discriminative", commandDescription = "Discriminative neuron maps before/after training")
    static final class Discriminative extends Base {
        @Override
        String analysis() {
            return "discriminative";
        }

        @Parameter(names = "--layer", description = "Hidden layer, from 1 (default: the last)")
        Integer layer;

        @Override
        Selection selection(AnalysisContext ctx) {
            // the notebook's layout for this command (the report's discriminative map uses the report's layout)
            return Selection.DEFAULTS.withLayer(layer).withNeuronLayout(NeuronAnalysis.Layout.MDS);
        }
    }

    @Parameters(commandNames = "report", commandDescription = "All five analyses and an HTML report (generated/reports/MODEL/index.html)")
    static final class Report extends Base {
        @Override
        String analysis() {
            return "report";
        }

        @Override
        Path target(AnalysisContext ctx) {
            return args.out != null ? args.out : ctx.options().outputRoot().resolve("reports").resolve(ctx.model().name());
        }

        @Parameter(names = "--epochs", description = "Epochs of the inter-epoch series (default: every checkpoint)")
        String epochs;

        @Parameter(names = "--labels", description = "Two classes for the neuron projections (default: the worst and best separated)")
        String labels;

        @Parameter(names = "--layer-alignment", description = "Alignment of the inter-layer series: auto (joint when"
                + " every layer has the same width, else dynamic), chained, independent, joint or dynamic")
        String layerAlignment = "auto";

        @Parameter(names = "--epoch-alignment", description = "Alignment of the inter-epoch series")
        String epochAlignment = "joint";

        @Parameter(names = "--neuron-layout", description = "Neuron layout: tsne (the paper's, default) or mds (the notebook's)")
        String neuronLayout = NeuronAnalysis.Layout.DEFAULT.id();

        @Parameter(names = "--projector", description = "Embedding Projector export: last (last layer, last epoch), all (every projected layer and epoch) or none")
        String projector = "last";

        @Override
        Selection selection(AnalysisContext ctx) {
            throw new IllegalStateException("hav report runs every registered analysis (ReportBuilder)");
        }

        @Override
        Map<String, Object> execute(AnalysisContext ctx, Path dir) {
            int[] labelList = null;
            if (labels != null) {
                labelList = parseInts("--labels", labels, "a class number", "3,7").stream().mapToInt(Integer::intValue).toArray();
                for (int c : labelList) {
                    if (c < 0 || c >= ctx.classes()) {
                        throw new HavException("--labels " + labels, "class " + c + " does not exist",
                                "pick classes in 0.." + (ctx.classes() - 1));
                    }
                }
            }
            List<org.hiddenactivity.projection.Projection.Method> methods = args.projections();
            ReportBuilder.Plan plan = new ReportBuilder.Plan(alignment(layerAlignment), alignment(epochAlignment),
                    parseEpochs(epochs), labelList, NeuronAnalysis.Layout.parse(neuronLayout),
                    ReportBuilder.ProjectorTensors.parse(projector), methods.subList(1, methods.size()));
            ReportBuilder.Written w = ReportBuilder.run(ctx, plan, dir);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", w.index().toAbsolutePath().toString());
            m.put("json", w.json().toAbsolutePath().toString());
            m.put("seconds", w.seconds());
            if (common.json) {
                m.put("results", w.numbers());
            }
            return m;
        }
    }
}
