package org.hiddenactivity.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.SafeNames;
import org.hiddenactivity.core.Suggest;
import org.hiddenactivity.data.Datasets;

/**
 * A series of ONNX checkpoints of one network (one per epoch), with what its {@code manifest.json} (see
 * {@link Manifest}, docs/manifest.md) and the command line ({@link ModelOptions}) say about it: the dataset, the
 * input normalisation and layout, the hidden layers. Without a manifest the epoch is the number in each file name,
 * and the hidden layers are the default candidates of the last checkpoint ({@link ModelInspector}); options win
 * over the manifest.
 */
public final class ModelSeries {
    public static final String MANIFEST = Manifest.FILE_NAME;
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private final String name;
    private final Path dir;
    private final Manifest manifest;
    private final Normalisation normalisation;
    private final Boolean channelsLast;
    private final List<Checkpoint> checkpoints;
    private final List<HiddenLayer> hiddenLayers;
    private final String layerSource;
    private final ConvUnits convUnits;
    private final ClassOutput classOutput;
    /** What the series was resolved with, to choose again once the dataset's class count is known. */
    private final ModelOptions options;

    private ModelSeries(String name, Path dir, Manifest manifest, Normalisation normalisation, Boolean channelsLast,
                        List<Checkpoint> checkpoints, List<HiddenLayer> hiddenLayers, String layerSource,
                        ConvUnits convUnits, ClassOutput classOutput, ModelOptions options) {
        this.name = name;
        this.dir = dir;
        this.manifest = manifest;
        this.normalisation = normalisation;
        this.channelsLast = channelsLast;
        this.checkpoints = List.copyOf(checkpoints);
        this.hiddenLayers = List.copyOf(hiddenLayers);
        this.layerSource = layerSource;
        this.convUnits = convUnits;
        this.classOutput = classOutput;
        this.options = options;
    }

    /** {@link #resolve(String, ModelOptions)} with nothing said on the command line. */
    public static ModelSeries resolve(String modelArg) {
        return resolve(modelArg, ModelOptions.defaults());
    }

    /**
     * Resolves {@code --model}: an existing folder of checkpoints, a single .onnx file (a series of one), or a
     * reference name looked up as {@code <project>/models/<name>/} (project root: {@link ProjectHome}).
     */
    public static ModelSeries resolve(String modelArg, ModelOptions options) {
        if (modelArg == null || modelArg.isBlank()) {
            throw new HavException("--model", "no model given", "name a reference model (" + referenceNames()
                    + ") or a folder of ONNX checkpoints");
        }
        Path p = InputFiles.path(modelArg, "--model");
        if (Files.isDirectory(p)) {
            return ofDirectory(p, options);
        }
        if (InputFiles.exists(p)) {
            return ofFile(p, options);
        }
        if (!modelArg.contains("/") && !modelArg.contains("\\") && !modelArg.endsWith(".onnx")) {
            Path ref = ProjectHome.modelsDir().resolve(modelArg);
            if (Files.isDirectory(ref)) {
                return ofDirectory(ref, options);
            }
            String near = Suggest.didYouMean(modelArg, referenceList());
            throw new HavException("model '" + modelArg + "'", "no such folder or reference model (looked for " + ref
                    + ")", near + "reference models: " + referenceNames() + "; or give a folder of .onnx checkpoints");
        }
        throw new HavException(modelArg, "no such file or folder", "give a folder of ONNX checkpoints or a .onnx file");
    }

    private static List<String> referenceList() {
        Path models = ProjectHome.modelsDir();
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models)) {
            return s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Names of the folders under models/ (for messages). */
    public static String referenceNames() {
        List<String> names = referenceList();
        return names.isEmpty() ? "none found in " + ProjectHome.modelsDir() : String.join(", ", names);
    }

    /** A single ONNX file as a series of one checkpoint (epoch = the number in its name, else 0). */
    public static ModelSeries ofFile(Path file, ModelOptions options) {
        Path abs = file.toAbsolutePath().normalize();
        OnnxGraph.checkFile(abs);
        Integer epoch = epochOf(abs.getFileName().toString());
        Checkpoint cp = new Checkpoint(epoch == null ? 0 : epoch, abs, null, null);
        String stem = abs.getFileName().toString().replaceFirst("\\.onnx$", "");
        return build(stem, abs.getParent(), null, List.of(cp), options, -1, null);
    }

    /** {@link #ofDirectory(Path, ModelOptions)} with nothing said on the command line. */
    public static ModelSeries ofDirectory(Path folder) {
        return ofDirectory(folder, ModelOptions.defaults());
    }

    /** A folder of checkpoints, with or without a manifest.json. */
    public static ModelSeries ofDirectory(Path folder, ModelOptions options) {
        Path dir = folder.toAbsolutePath().normalize();
        Path manifestFile = dir.resolve(MANIFEST);
        if (InputFiles.exists(manifestFile)) {
            Manifest m = Manifest.read(manifestFile);
            List<Checkpoint> cps = new ArrayList<>();
            for (Manifest.Entry e : m.checkpoints()) {
                cps.add(new Checkpoint(e.epoch(), inside(dir, manifestFile, e.file()), e.sha256(), e.testAccuracy()));
            }
            return build(m.name() != null ? m.name() : dir.getFileName().toString(), dir, m, cps, options, -1, null);
        }
        TreeMap<Integer, Checkpoint> byEpoch = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".onnx")).sorted().toList()) {
                Integer epoch = epochOf(f.getFileName().toString());
                if (epoch == null) {
                    throw new HavException(f.toString(), "no epoch number in the file name (and no " + MANIFEST
                            + " in the folder)", "name checkpoints like epoch_000.onnx, or write a " + MANIFEST);
                }
                OnnxGraph.checkFile(f);
                Checkpoint previous = byEpoch.put(epoch, new Checkpoint(epoch, f, null, null));
                if (previous != null) {
                    throw new HavException(dir.toString(), "two checkpoints for epoch " + epoch + ": "
                            + previous.path().getFileName() + " and " + f.getFileName(),
                            "keep one file per epoch, or write a " + MANIFEST);
                }
            }
        } catch (IOException e) {
            throw new HavException(dir.toString(), "cannot list the folder (" + e.getMessage() + ")",
                    "check the permissions");
        }
        if (byEpoch.isEmpty()) {
            throw new HavException(dir.toString(), "no .onnx checkpoints and no " + MANIFEST + " in this folder",
                    "give the folder holding the exported checkpoints");
        }
        return build(dir.getFileName().toString(), dir, null, new ArrayList<>(byEpoch.values()), options, -1, null);
    }

    /** A manifest's file entry as a path that stays inside the model folder after symbolic links, else an error. */
    private static Path inside(Path dir, Path manifestFile, String file) {
        Path path = InputFiles.path(file, "checkpoint").isAbsolute() ? Path.of(file) : dir.resolve(file).normalize();
        String fix = "list checkpoint files by their names inside " + dir + " (copy the files there if they live"
                + " elsewhere)";
        if (!path.startsWith(dir)) {
            throw new HavException(manifestFile.toString(), "checkpoint \"" + file + "\" lies outside the model folder",
                    fix);
        }
        if (!InputFiles.exists(path)) {
            throw new HavException(path.toString(), "checkpoint listed in " + MANIFEST + " is missing",
                    "restore the file or remove its entry from the manifest");
        }
        try {
            if (!path.toRealPath().startsWith(dir.toRealPath())) {
                throw new HavException(manifestFile.toString(), "checkpoint \"" + file + "\" is a link to "
                        + path.toRealPath() + ", outside the model folder", fix);
            }
        } catch (IOException e) {
            throw new HavException(path.toString(), "cannot resolve (" + e.getMessage() + ")", "check the file");
        }
        OnnxGraph.checkFile(path);
        return path;
    }

    /**
     * The series; {@code classes} is the dataset's class count when known (-1 before the data is loaded: then the
     * manifest's {@code classes} or built-in {@code dataset} give it, if they can), {@code countFrom} says whence.
     */
    private static ModelSeries build(String rawName, Path dir, Manifest m, List<Checkpoint> cps, ModelOptions o,
                                     int classes, String countFrom) {
        String name = SafeNames.component(rawName, 60, "model");
        Normalisation norm = normalisation(m, o, dir);
        Boolean channelsLast = o.channelsLast();
        if (channelsLast == null && m != null && m.inputLayout() != null) {
            channelsLast = m.inputLayout().contains("hwc");
        }
        Checkpoint last = cps.get(cps.size() - 1);
        OnnxGraph g = OnnxGraph.read(last.path());
        if (classes <= 0 && m != null && m.classCount() > 0) {
            classes = m.classCount();
            countFrom = MANIFEST + " \"classes\"";
        } else if (classes <= 0 && m != null && m.dataset() != null && Datasets.classCount(m.dataset()) > 0) {
            classes = Datasets.classCount(m.dataset());
            countFrom = "the dataset " + m.dataset() + " named in " + MANIFEST;
        }
        ClassOutput classOutput = ClassOutput.choose(g, m == null ? null : m.output(), classes, countFrom);
        g.useClassOutput(classOutput.tensor());
        ModelInspection inspection = ModelInspector.inspect(g, null, classOutput);
        List<HiddenLayer> layers;
        String source;
        if (!o.tensors().isEmpty()) {
            layers = named(g, inspection, o.tensors(), null, "--tensor", o);
            source = "--tensor";
        } else if (m != null && !m.hiddenLayers().isEmpty()) {
            layers = named(g, inspection, m.hiddenLayers().stream().map(Manifest.LayerEntry::tensor).toList(),
                    m.hiddenLayers(), MANIFEST, o);
            source = MANIFEST;
        } else {
            layers = new ArrayList<>();
            for (Candidate c : inspection.analysed()) {
                layers.add(new HiddenLayer(layers.size() + 1, c.tensor(), c.tensor(), c.kind(), c.pattern(),
                        c.units(o.convUnits()), c.channelAxis(), "default", token(c, inspection, o)));
            }
            source = "default";
        }
        return new ModelSeries(name, dir, m, norm, channelsLast, cps, layers, source, o.convUnits(), classOutput, o);
    }

    private static Normalisation normalisation(Manifest m, ModelOptions o, Path dir) {
        Normalisation fromManifest = m == null ? null : m.normalisation();
        if (o.mean() != null) {
            Normalisation given = Normalisation.of(o.mean(), o.std(), "--mean/--std");
            if (fromManifest != null && !given.key().equals(fromManifest.key())) {
                org.hiddenactivity.core.Warnings.warn("--mean/--std (" + given.key() + ") override the manifest's"
                        + " normalisation (" + fromManifest.key() + ")");
            }
            return given;
        }
        if (fromManifest != null) {
            return fromManifest;
        }
        return Normalisation.none(m == null ? "no " + MANIFEST + " in " + dir + ", no --mean/--std"
                : MANIFEST + " gives no normalisation, no --mean/--std");
    }

    /** Layers named by the user or the manifest: recognised candidates keep their kind, others are taken by shape. */
    private static List<HiddenLayer> named(OnnxGraph g, ModelInspection inspection, List<String> tensors,
                                           List<Manifest.LayerEntry> entries, String origin, ModelOptions o) {
        ConvUnits units = o.convUnits();
        java.util.Set<String> produced = g.producedTensors();
        List<String> unknown = tensors.stream().filter(t -> !produced.contains(t) && inspection.candidate(t) == null)
                .toList();
        if (!unknown.isEmpty()) {
            String t = unknown.get(0);
            String near = Suggest.didYouMean(t, produced);
            throw new HavException(g.file.toString(), "no tensor named '" + t + "' (given by " + origin + ")",
                    near + "'hav inspect " + g.file + "' lists the candidates; any tensor a node produces can be named");
        }
        ModelInspector.Shapes shapes = ModelInspector.shapes(g, tensors, null);
        List<HiddenLayer> layers = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            String t = tensors.get(i);
            Manifest.LayerEntry e = entries == null ? null : entries.get(i);
            Candidate c = inspection.candidate(t);
            String lname = e != null ? e.name() : t;
            long[] shape = shapes.of(t);
            LayerKind kind = e != null && e.kind() != null ? e.kind() : c != null ? c.kind()
                    : shape != null && shape.length > 2 ? LayerKind.CONV : LayerKind.DENSE;
            String pattern = c != null ? c.pattern() : "named (" + (e != null && e.op() != null ? e.op() : "not a"
                    + " recognised layer") + ")";
            int axis = c != null ? c.channelAxis() : g.channelAxis(t);
            int token = c != null ? token(c, inspection, o) : -1;
            if (c == null && shape != null && shape.length == 3 && axis < 0 && inspection.tokens() != null) {
                // a token tensor [N, T, C] of a transformer named by the user: C units, the head's token
                axis = 2;
                token = o.tokenIndex() != null ? o.tokenIndex() : g.tokenIndex();
            }
            layers.add(new HiddenLayer(i + 1, lname, t, kind, pattern, HiddenLayer.unitsOf(shape, axis, units), axis,
                    origin, token));
        }
        return layers;
    }

    /** The token taken from a candidate: --tokens when given and the candidate is a token tensor, else the graph's. */
    private static int token(Candidate c, ModelInspection inspection, ModelOptions o) {
        boolean tokens = inspection.tokens() != null && c.channelAxis() == 2 && c.shape() != null
                && c.shape().length == 3;
        return tokens && o.tokenIndex() != null ? o.tokenIndex() : c.token();
    }

    /** The last group of digits in a file name ("epoch_012.onnx" -> 12), or null. */
    static Integer epochOf(String fileName) {
        Matcher m = DIGITS.matcher(fileName.replaceFirst("\\.onnx$", ""));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? null : Integer.valueOf(last.length() > 9 ? last.substring(last.length() - 9) : last);
    }

    /**
     * The series checked against the dataset it will run on (SHA-256s, inputs, tensors present with one shape in
     * every checkpoint, one output score per class), with the layers' unit counts filled in; see {@link SeriesCheck}.
     */
    public ModelSeries checkedFor(org.hiddenactivity.data.Dataset data) {
        ModelSeries s = this;
        int classes = data.classNames().size();
        if (classOutput.classes() != classes && (manifest == null || manifest.output() == null)
                && !classOutput.onlyOutput()) {
            // several outputs: which holds the class scores is chosen again with the dataset's class count
            s = build(name, dir, manifest, checkpoints, options, classes, "the dataset " + data.name());
        }
        if (s.classOutput.warning() != null) {
            org.hiddenactivity.core.Warnings.warn(s.classOutput.warning());
        }
        return SeriesCheck.check(s, data);
    }

    /** The same series with the layers' unit counts as measured (after a run). */
    public ModelSeries withLayers(List<HiddenLayer> layers) {
        return new ModelSeries(name, dir, manifest, normalisation, channelsLast, checkpoints, layers, layerSource,
                convUnits, classOutput, options);
    }

    // ------------------------------------------------------------------ accessors

    /** The model's name as one safe file-name component (used in output folders and cache names). */
    public String name() {
        return name;
    }

    /** The folder holding the checkpoints. */
    public Path dir() {
        return dir;
    }

    /** The dataset the manifest names (canonical when it is a built-in one), or null. */
    public String dataset() {
        if (manifest == null || manifest.dataset() == null) {
            return null;
        }
        String d = manifest.dataset();
        try {
            return Datasets.canonicalName(d);
        } catch (HavException e) {
            return d;
        }
    }

    /** The input shape the manifest records, or null. */
    public long[] inputShape() {
        return manifest == null || manifest.inputShape() == null ? null : manifest.inputShape().clone();
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    /** True for a channels-last input (NHWC, or a flat input in HWC order), false for channels first, null unsaid. */
    public Boolean channelsLast() {
        return channelsLast;
    }

    /** One unit per channel of a feature map, or per channel x position. */
    public ConvUnits convUnits() {
        return convUnits;
    }

    /** Checkpoints by increasing epoch. */
    public List<Checkpoint> checkpoints() {
        return checkpoints;
    }

    /** The analysed hidden layers, numbered from 1. */
    public List<HiddenLayer> hiddenLayers() {
        return hiddenLayers;
    }

    /** Who chose the layers: "default" (the rule of {@link LayerDiscovery#choose}), "manifest.json" or "--tensor". */
    public String layerSource() {
        return layerSource;
    }

    /** The manifest, or null without one. */
    public Manifest manifest() {
        return manifest;
    }

    /**
     * The output tensor whose argmax is the prediction when it is not the first graph output (the manifest's
     * {@code output}, or {@link ClassOutput}'s choice); null: the first graph output.
     */
    public String outputTensor() {
        if (manifest != null && manifest.output() != null) {
            return manifest.output();
        }
        return classOutput.first() ? null : classOutput.tensor();
    }

    /** Which output holds the class scores, and why (chosen on the last checkpoint). */
    public ClassOutput classOutput() {
        return classOutput;
    }

    public List<Integer> epochs() {
        return checkpoints.stream().map(Checkpoint::epoch).toList();
    }

    public int firstEpoch() {
        return checkpoints.get(0).epoch();
    }

    public int lastEpoch() {
        return checkpoints.get(checkpoints.size() - 1).epoch();
    }

    /** The checkpoint of an epoch; the error lists the available epochs. */
    public Checkpoint checkpoint(int epoch) {
        for (Checkpoint c : checkpoints) {
            if (c.epoch() == epoch) {
                return c;
            }
        }
        throw new HavException("model " + name, "no checkpoint for epoch " + epoch,
                "available epochs: " + describeEpochs());
    }

    /** The hidden layer numbered {@code number} (from 1); the error gives the valid range or how to name one. */
    public HiddenLayer layer(int number) {
        if (hiddenLayers.isEmpty()) {
            throw noLayers();
        }
        if (number < 1 || number > hiddenLayers.size()) {
            throw new HavException("layer " + number, "out of range for model " + name, "valid layers: 1.."
                    + hiddenLayers.size() + " (" + String.join(", ", hiddenLayers.stream().map(HiddenLayer::name)
                    .toList()) + ")");
        }
        return hiddenLayers.get(number - 1);
    }

    /** The error for a model in which no hidden layer was found. */
    public HavException noLayers() {
        return new HavException("model " + name, "no hidden layer found (no activation after a Gemm, MatMul or"
                + " Conv, no residual block, no pooling)", "name the tensors to analyse with --tensor NAME[,NAME]"
                + " or in " + MANIFEST + " \"hidden_layers\" (docs/manifest.md); 'hav inspect "
                + checkpoints.get(checkpoints.size() - 1).path() + "' lists the graph");
    }

    private String describeEpochs() {
        List<Integer> e = epochs();
        if (e.size() <= 12) {
            return e.toString();
        }
        return e.subList(0, 5) + " ... " + e.subList(e.size() - 3, e.size()) + " (" + e.size() + " checkpoints)";
    }

    /** Provenance: name, folder, dataset, normalisation, layout, layers (tensor, kind, pattern, units), epochs. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (manifest != null && manifest.name() != null && !manifest.name().equals(name)) {
            m.put("manifest_name", manifest.name());
        }
        m.put("dir", dir.toString());
        m.put("manifest", manifest == null ? null : manifest.file().toString());
        m.put("dataset", dataset());
        m.put("normalisation", normalisation.toString());
        m.put("input_layout", channelsLast == null ? "from the input shape" : channelsLast ? "channels last"
                : "channels first");
        m.put("conv_units", convUnits.id());
        m.put("layers_from", layerSource);
        m.put("class_output", classOutput.tensor());
        m.put("class_output_reason", classOutput.reason());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (HiddenLayer l : hiddenLayers) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("number", l.number());
            x.put("name", l.name());
            x.put("tensor", l.tensor());
            x.put("kind", l.kind().id());
            x.put("pattern", l.pattern());
            x.put("units", l.units());
            layers.add(x);
        }
        m.put("hidden_layers", layers);
        m.put("epochs", epochs());
        return m;
    }

    @Override
    public String toString() {
        return "model " + name + " (" + checkpoints.size() + " checkpoints, epochs " + firstEpoch() + ".."
                + lastEpoch() + ", " + hiddenLayers.size() + " hidden layers)";
    }
}
