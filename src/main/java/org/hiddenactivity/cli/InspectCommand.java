package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.TerminalText;
import org.hiddenactivity.model.Candidate;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.ConvUnits;
import org.hiddenactivity.model.HiddenLayer;
import org.hiddenactivity.model.Manifest;
import org.hiddenactivity.model.ModelInspection;
import org.hiddenactivity.model.ModelInspector;
import org.hiddenactivity.model.ModelOptions;
import org.hiddenactivity.model.ModelSeries;

@Parameters(commandNames = "inspect",
        commandDescription = "List a model's hidden-layer candidates: tensor, kind, pattern, shape, and which are analysed")
final class InspectCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "MODEL: a .onnx file, a folder of checkpoints or a reference model name (its last"
            + " checkpoint is inspected)")
    List<String> model = new ArrayList<>();

    @Parameter(names = "--conv-units", description = "Units of a feature map shown: channel (mean over H x W) or"
            + " position")
    String convUnits = "channel";

    @Parameter(names = "--manifest", description = "A manifest.json skeleton for the model folder instead (printed,"
            + " or written with --out DIR/manifest.json; then fill in dataset and normalisation)")
    boolean manifest;

    @Parameter(names = "--out", description = "With --manifest: the file to write (atomically; an existing file only"
            + " with --force)")
    String out;

    @Parameter(names = "--force", description = "With --manifest --out: replace an existing file")
    boolean force;

    @Parameter(names = "--all", description = "List every tensor of the graph with its op, shape and why it is or is"
            + " not a hidden-layer candidate")
    boolean all;

    /** Graphs up to this many nodes are run once on zeros for --all's shapes. */
    private static final int ALL_SHAPES_MAX_NODES = 20_000;

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        if (model.size() != 1) {
            throw new HavException("hav inspect", model.isEmpty() ? "no model given" : "expected one model, got "
                    + model.size() + " " + model, "run hav inspect FILE.onnx (or a folder, or a reference model"
                    + " name)", Main.EXIT_USAGE, null);
        }
        ConvUnits units = ConvUnits.parse(convUnits);
        String arg = model.get(0);
        ModelOptions options = new ModelOptions(List.of(), units, null, null, null);
        ModelSeries series = null;
        if (out != null) {
            // checked before anything is read: a filled-in manifest is never replaced by accident
            Path target = InputFiles.path(out, "--out");
            if (Files.isDirectory(target)) {
                throw new HavException(target.toString(), "is a folder", "give a file name, e.g. "
                        + target.resolve("manifest.json"));
            }
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
                throw new HavException(target.toString(), "already exists; it is left as it is", "give --force to"
                        + " replace it, or another --out");
            }
        }
        Path file = InputFiles.path(arg, "hav inspect");
        if (!Files.isRegularFile(file) || manifest) {
            series = ModelSeries.resolve(arg, options);
            file = series.checkpoint(series.lastEpoch()).path();
        }
        if (out != null && !manifest) {
            throw new HavException("--out", "given without --manifest", "write a manifest skeleton with hav inspect"
                    + " DIR --manifest --out DIR/manifest.json", Main.EXIT_USAGE, null);
        }
        if (manifest) {
            String text = json(skeleton(series)) + "\n";
            if (out == null) {
                System.out.print(text);
                return 0;
            }
            Path target = InputFiles.path(out, "--out");
            org.hiddenactivity.core.AtomicFiles.writeString(target, text);
            System.err.println(TerminalText.safe("hav inspect: wrote " + target + "; fill in \"dataset\" and"
                    + " \"normalisation\" (docs/manifest.md)"));
            return 0;
        }
        ModelInspection in = ModelInspector.inspect(file, series == null ? null : series.classOutput());
        if (in.classOutput() != null && in.classOutput().warning() != null) {
            org.hiddenactivity.core.Warnings.warn(in.classOutput().warning());
        }
        Map<String, Integer> layerOf = new LinkedHashMap<>();
        List<HiddenLayer> named = new ArrayList<>();
        if (series != null) {
            for (HiddenLayer l : series.hiddenLayers()) {
                layerOf.put(l.tensor(), l.number());
                if (in.candidate(l.tensor()) == null) {
                    named.add(l);
                }
            }
        } else {
            int n = 0;
            for (Candidate c : in.analysed()) {
                layerOf.put(c.tensor(), ++n);
            }
        }
        String source = series == null ? "default" : series.layerSource();
        if (common.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", in.file().toAbsolutePath().toString());
            out.put("input", named(in.input(), in.inputShape()));
            out.put("output", named(in.output(), in.outputShape()));
            out.put("shapes_from", in.shapesFrom());
            out.put("conv_units", units.id());
            out.put("layers_from", source);
            List<Map<String, Object>> cs = new ArrayList<>();
            for (Candidate c : in.candidates()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("number", c.number());
                m.put("tensor", c.tensor());
                m.put("kind", c.kind().id());
                m.put("pattern", c.pattern());
                m.put("op", c.op());
                m.put("source_op", c.sourceOp());
                m.put("node", c.node());
                m.put("shape", shapeList(c.shape()));
                m.put("units", c.units(units));
                m.put("channel_axis", c.featureMap() ? c.channelAxis() : null);
                m.put("inside_block", c.insideBlock());
                m.put("default", c.analysed());
                m.put("reason", c.reason());
                m.put("layer", layerOf.get(c.tensor()));
                cs.add(m);
            }
            out.put("candidates", cs);
            out.put("tokens", in.tokens());
            out.put("class_output", in.output());
            out.put("class_output_reason", in.outputReason());
            List<Map<String, Object>> ex = new ArrayList<>();
            for (var e : in.excluded()) {
                ex.add(Map.of("tensor", e.tensor(), "reason", e.reason()));
            }
            out.put("excluded", ex);
            out.put("discovery_default", in.analysed().stream().map(Candidate::tensor).toList());
            if (all) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ModelInspector.TensorRow r : ModelInspector.everyTensor(in.file(), in, ALL_SHAPES_MAX_NODES)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tensor", r.tensor());
                    m.put("op", r.op());
                    m.put("shape", shapeList(r.shape()));
                    m.put("status", r.status());
                    rows.add(m);
                }
                out.put("tensors", rows);
            }
            List<Map<String, Object>> extra = new ArrayList<>();
            for (HiddenLayer l : named) {
                extra.add(Map.of("layer", l.number(), "tensor", l.tensor(), "kind", l.kind().id(), "origin",
                        l.origin()));
            }
            out.put("named_layers", extra);
            if (series != null) {
                out.put("model", series.describe());
            }
            System.out.println(json(out));
            return 0;
        }
        System.out.println("model   " + TerminalText.safe(in.file().toString()));
        System.out.println("input   " + TerminalText.safe(in.input()) + " " + render(in.inputShape()));
        System.out.println("output  " + TerminalText.safe(in.output()) + " " + render(in.outputShape())
                + "  (the class scores: " + TerminalText.safe(in.outputReason()) + ")");
        if (in.tokens() != null) {
            System.out.println("tokens  [N, T, C] tensors: C units, " + TerminalText.safe(in.tokens())
                    + "; --tokens cls|mean|INDEX overrides");
        }
        if (all) {
            printAll(in);
        }
        if (in.candidates().isEmpty() && named.isEmpty()) {
            System.out.println("no hidden-layer candidates (no activation after a Gemm, MatMul or Conv, no residual"
                    + " block, no pooling); name tensors with --tensor or in manifest.json \"hidden_layers\"");
            return 0;
        }
        System.out.println("shapes  from " + in.shapesFrom() + "; feature-map units: " + units.id());
        int width = Math.max(6, in.candidates().stream().mapToInt(c -> TerminalText.safe(c.tensor()).length()).max()
                .orElse(6));
        width = Math.min(width, 60);
        String fmt = "%3s  %-" + width + "s  %-8s  %-32s  %-18s  %6s  %5s  %s%n";
        System.out.printf(fmt, "#", "tensor", "kind", "pattern", "shape", "units", "layer", "why");
        for (Candidate c : in.candidates()) {
            Integer layer = layerOf.get(c.tensor());
            String why = series != null && !source.equals("default") ? "named in " + source
                    : c.reason();
            System.out.printf(fmt, c.number(), TerminalText.safe(c.tensor()), c.kind().id(),
                    TerminalText.safe(c.pattern()), render(c.shape()), c.units(units) < 0 ? "?"
                    : String.valueOf(c.units(units)), layer == null ? "-" : String.valueOf(layer),
                    TerminalText.safe(layer != null || source.equals("default") ? why : c.reason()));
        }
        for (HiddenLayer l : named) {
            System.out.printf(fmt, "", TerminalText.safe(l.tensor()), l.kind().id(), TerminalText.safe(l.pattern()),
                    "", l.units() < 0 ? "?" : String.valueOf(l.units()), l.number(), "named in " + l.origin());
        }
        if (!source.equals("default")) {
            System.out.println("without " + source + ", discovery would choose: " + (in.analysed().isEmpty() ? "nothing"
                    : String.join(", ", in.analysed().stream().map(c -> TerminalText.safe(c.tensor())).toList())));
        }
        for (var e : in.excluded()) {
            if (e.reason().startsWith("the logits")) {
                System.out.println("not hidden: " + TerminalText.safe(e.tensor()) + " is " + TerminalText.safe(e.reason()));
            }
        }
        System.out.println("(layer: the number --layer takes; analysed layers come from " + (source.equals("default")
                ? "the default rule: dense, pooled and residual block outputs, conv maps when there are fewer than"
                + " two of those" : source) + "; --tensor NAME[,NAME] analyses any tensors instead)");
        return 0;
    }

    /** Every tensor with op, shape and why it is or is not a candidate. */
    private static void printAll(ModelInspection in) {
        List<ModelInspector.TensorRow> rows = ModelInspector.everyTensor(in.file(), in, ALL_SHAPES_MAX_NODES);
        int width = Math.min(60, Math.max(6, rows.stream().mapToInt(r -> TerminalText.safe(r.tensor()).length()).max()
                .orElse(6)));
        String fmt = "%-" + width + "s  %-20s  %-18s  %s%n";
        System.out.println("every tensor (" + rows.size() + "):");
        System.out.printf(fmt, "tensor", "op", "shape", "why");
        for (ModelInspector.TensorRow r : rows) {
            System.out.printf(fmt, TerminalText.safe(r.tensor()), TerminalText.safe(r.op()), render(r.shape()),
                    TerminalText.safe(r.status()));
        }
        System.out.println();
    }

    /** A manifest for the folder: what is known filled in, dataset and normalisation left for the user (null). */
    static Map<String, Object> skeleton(ModelSeries series) {
        Manifest m = series.manifest();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_help", "hav manifest (docs/manifest.md): fill in \"dataset\" (mnist, fashion-mnist or cifar10 makes it"
                + " the default --dataset; another name is recorded and your data given with --images) and"
                + " \"normalisation\" {\"mean\": [...], \"std\": [...]} as used in training on pixels in [0, 1];"
                + " null means not known");
        out.put("name", m != null && m.name() != null ? m.name() : series.name());
        out.put("dataset", series.dataset());
        ModelInspection in = ModelInspector.inspect(series.checkpoint(series.lastEpoch()).path());
        out.put("input_shape", shapeList(in.inputShape()));
        out.put("input_layout", series.channelsLast() == null ? null : series.channelsLast() ? "nhwc" : "nchw");
        if (series.normalisation().isNone()) {
            out.put("normalisation", null);
        } else {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("mean", floats(series.normalisation().mean()));
            n.put("std", floats(series.normalisation().std()));
            out.put("normalisation", n);
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (HiddenLayer l : series.hiddenLayers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", l.name());
            x.put("tensor", l.tensor());
            x.put("kind", l.kind().id());
            x.put("units", l.units() > 0 ? l.units() : null);
            layers.add(x);
        }
        out.put("hidden_layers", layers);
        out.put("output", series.classOutput().tensor());
        List<Map<String, Object>> cps = new ArrayList<>();
        for (Checkpoint cp : series.checkpoints()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("epoch", cp.epoch());
            c.put("file", series.dir().relativize(cp.path()).toString());
            c.put("sha256", cp.sha256());
            if (cp.testAccuracy().isPresent()) {
                c.put("test_accuracy", cp.testAccuracy().getAsDouble());
            }
            cps.add(c);
        }
        out.put("checkpoints", cps);
        return out;
    }

    private static List<Double> floats(float[] v) {
        List<Double> out = new ArrayList<>();
        for (float f : v) {
            out.add(Double.valueOf(String.format(Locale.ROOT, "%.6g", f)));
        }
        return out;
    }

    private static String json(Object o) throws Exception {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
    }

    private static Map<String, Object> named(String name, long[] shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("shape", shapeList(shape));
        return m;
    }

    private static List<Long> shapeList(long[] shape) {
        if (shape == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (long d : shape) {
            out.add(d < 0 ? null : d);
        }
        return out;
    }

    private static String render(long[] shape) {
        if (shape == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(']').toString();
    }
}
