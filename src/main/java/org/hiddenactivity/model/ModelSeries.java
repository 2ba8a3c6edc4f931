package org.hiddenactivity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.data.Datasets;

/**
 * A series of ONNX checkpoints of one network (one per epoch), with what its {@code manifest.json} says: the
 * dataset, the input normalisation, the hidden layers, test accuracies. Without a manifest, the epoch is the number
 * in each file name, there is no normalisation, and the hidden layers are the default candidates of the last
 * checkpoint (see {@link ModelInspector}).
 *
 * <p>The manifest fields read (all optional but {@code checkpoints}; others are kept in {@link #manifest()}):
 * <pre>
 * {"name": "mnist_mlp", "dataset": "mnist", "input_shape": [-1, 784],
 *  "input_layout": "chw" | "hwc"            (order of a flat input's pixels; default chw),
 *  "normalisation": {"mean": [0.1307], "std": [0.3081]},   (applied to pixels in [0, 1], per channel)
 *  "hidden_layers": [{"name": "dense1", "tensor": "/dense1/Relu_output_0", "units": 256, "op": "Relu"}, ...],
 *  "output": "probabilities"                (argmax = predicted class; default: the first graph output),
 *  "checkpoints": [{"epoch": 0, "file": "epoch_000.onnx", "sha256": "...", "test_accuracy": 0.09}, ...],
 *  "training": {...}, "seed": 0}
 * </pre>
 */
public final class ModelSeries {
    public static final String MANIFEST = "manifest.json";
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private final String name;
    private final Path dir;
    private final String dataset;
    private final long[] inputShape;
    private final Normalisation normalisation;
    private final List<Checkpoint> checkpoints;
    private final List<HiddenLayer> hiddenLayers;
    private final JsonNode manifest;
    private final String output;

    private ModelSeries(String name, Path dir, String dataset, long[] inputShape, Normalisation normalisation,
                        List<Checkpoint> checkpoints, List<HiddenLayer> hiddenLayers, JsonNode manifest,
                        String output) {
        this.name = name;
        this.dir = dir;
        this.dataset = dataset;
        this.inputShape = inputShape;
        this.normalisation = normalisation;
        this.checkpoints = List.copyOf(checkpoints);
        this.hiddenLayers = List.copyOf(hiddenLayers);
        this.manifest = manifest;
        this.output = output;
    }

    /**
     * Resolves {@code --model}: an existing folder of checkpoints, a single .onnx file (a series of one), or a
     * reference name looked up as {@code <project>/models/<name>/} (project root: {@link ProjectHome}).
     */
    public static ModelSeries resolve(String modelArg) {
        if (modelArg == null || modelArg.isBlank()) {
            throw new HavException("--model", "no model given", "name a reference model (" + referenceNames()
                    + ") or a folder of ONNX checkpoints");
        }
        Path p = Path.of(modelArg);
        if (Files.isDirectory(p)) {
            return ofDirectory(p);
        }
        if (Files.isRegularFile(p)) {
            return ofFile(p);
        }
        if (!modelArg.contains("/") && !modelArg.contains("\\") && !modelArg.endsWith(".onnx")) {
            Path ref = ProjectHome.modelsDir().resolve(modelArg);
            if (Files.isDirectory(ref)) {
                return ofDirectory(ref);
            }
            throw new HavException("model '" + modelArg + "'", "no such folder or reference model (looked for " + ref
                    + ")", "reference models: " + referenceNames() + "; or give a folder of .onnx checkpoints");
        }
        throw new HavException(modelArg, "no such file or folder", "give a folder of ONNX checkpoints or a .onnx file");
    }

    /** Names of the folders under models/ (for messages). */
    public static String referenceNames() {
        Path models = ProjectHome.modelsDir();
        if (!Files.isDirectory(models)) {
            return "none found in " + models;
        }
        try (Stream<Path> s = Files.list(models)) {
            List<String> names = s.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "none found in " + models : String.join(", ", names);
        } catch (IOException e) {
            return "unreadable " + models;
        }
    }

    /** A single ONNX file as a series of one checkpoint (epoch = the number in its name, else 0). */
    public static ModelSeries ofFile(Path file) {
        Integer epoch = epochOf(file.getFileName().toString());
        Checkpoint cp = new Checkpoint(epoch == null ? 0 : epoch, file.toAbsolutePath(), null, null);
        String stem = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        List<HiddenLayer> layers = defaultLayers(cp);
        return new ModelSeries(stem, file.toAbsolutePath().getParent(), null, null,
                Normalisation.none("no manifest"), List.of(cp), layers, null, null);
    }

    /** A folder of checkpoints, with or without a manifest.json. */
    public static ModelSeries ofDirectory(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        Path manifestFile = dir.resolve(MANIFEST);
        if (Files.isRegularFile(manifestFile)) {
            return fromManifest(dir, manifestFile);
        }
        TreeMap<Integer, Checkpoint> byEpoch = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".onnx")).sorted().toList()) {
                Integer epoch = epochOf(f.getFileName().toString());
                if (epoch == null) {
                    throw new HavException(f.toString(), "no epoch number in the file name (and no " + MANIFEST
                            + " in the folder)", "name checkpoints like epoch_000.onnx, or write a " + MANIFEST);
                }
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
        List<Checkpoint> cps = new ArrayList<>(byEpoch.values());
        return new ModelSeries(dir.getFileName().toString(), dir, null, null,
                Normalisation.none("no " + MANIFEST + " in " + dir), cps, defaultLayers(cps.get(cps.size() - 1)),
                null, null);
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

    private static List<HiddenLayer> defaultLayers(Checkpoint cp) {
        ModelInspection inspection = ModelInspector.inspect(cp.path());
        List<HiddenLayer> layers = new ArrayList<>();
        for (Candidate c : inspection.analysed()) {
            layers.add(new HiddenLayer(layers.size() + 1, c.tensor(), c.tensor(), c.units(), c.op(), c.dense()));
        }
        return layers;
    }

    private static ModelSeries fromManifest(Path dir, Path manifestFile) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new HavException(manifestFile.toString(), "not valid JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", "fix or delete the manifest");
        }
        if (root == null || !root.isObject()) {
            throw new HavException(manifestFile.toString(), "not a JSON object", "fix or delete the manifest");
        }
        JsonNode list = root.path("checkpoints");
        if (!list.isArray() || list.isEmpty()) {
            throw new HavException(manifestFile.toString(), "no \"checkpoints\" list",
                    "list them as {\"epoch\": 0, \"file\": \"epoch_000.onnx\"}, or delete the manifest");
        }
        TreeMap<Integer, Checkpoint> byEpoch = new TreeMap<>();
        for (JsonNode c : list) {
            String file = c.path("file").asText("");
            if (file.isEmpty()) {
                throw new HavException(manifestFile.toString(), "a checkpoint entry has no \"file\": " + c,
                        "give each checkpoint its file name");
            }
            Path path = dir.resolve(file).normalize();
            Integer epoch = c.hasNonNull("epoch") ? Integer.valueOf(c.get("epoch").asInt()) : epochOf(file);
            if (epoch == null) {
                throw new HavException(manifestFile.toString(), "checkpoint " + file + " has no \"epoch\"",
                        "give each checkpoint its epoch");
            }
            if (!Files.isRegularFile(path)) {
                throw new HavException(path.toString(), "checkpoint listed in " + MANIFEST + " is missing",
                        "restore the file or remove its entry from the manifest");
            }
            String sha = c.hasNonNull("sha256") ? c.get("sha256").asText() : null;
            Double acc = c.hasNonNull("test_accuracy") ? c.get("test_accuracy").asDouble() : null;
            if (byEpoch.put(epoch, new Checkpoint(epoch, path, sha, acc)) != null) {
                throw new HavException(manifestFile.toString(), "epoch " + epoch + " is listed twice",
                        "list each epoch once");
            }
        }
        List<Checkpoint> cps = new ArrayList<>(byEpoch.values());
        String name = root.path("name").asText(dir.getFileName().toString());
        String dataset = null;
        if (root.hasNonNull("dataset")) {
            String d = root.get("dataset").asText();
            dataset = Datasets.NAMES.contains(d.toLowerCase()) || d.isBlank() ? d.toLowerCase() : safeCanonical(d);
        }
        long[] inputShape = null;
        if (root.path("input_shape").isArray()) {
            JsonNode s = root.get("input_shape");
            inputShape = new long[s.size()];
            for (int i = 0; i < s.size(); i++) {
                inputShape[i] = s.get(i).canConvertToLong() ? s.get(i).asLong() : -1;
            }
        }
        Normalisation norm = Normalisation.none(MANIFEST + " gives no normalisation");
        JsonNode n = root.path("normalisation");
        if (n.isMissingNode() || n.isNull()) {
            n = root.path("normalization");
        }
        if (n.isObject() && n.path("mean").isArray() && n.path("std").isArray()) {
            norm = new Normalisation(floats(n.get("mean")), floats(n.get("std")), manifestFile.toString());
            if (norm.mean().length != norm.std().length) {
                throw new HavException(manifestFile.toString(), "normalisation has " + norm.mean().length
                        + " means and " + norm.std().length + " standard deviations", "give as many of each");
            }
        }
        List<HiddenLayer> layers = new ArrayList<>();
        JsonNode hl = root.path("hidden_layers");
        if (hl.isArray() && !hl.isEmpty()) {
            for (JsonNode l : hl) {
                String tensor = l.isTextual() ? l.asText() : l.path("tensor").asText("");
                if (tensor.isEmpty()) {
                    throw new HavException(manifestFile.toString(), "a hidden layer has no \"tensor\": " + l,
                            "give the ONNX tensor name of each hidden layer (hav inspect lists them)");
                }
                String lname = l.isObject() ? l.path("name").asText(tensor) : tensor;
                int units = l.isObject() ? l.path("units").asInt(-1) : -1;
                String op = l.isObject() && l.hasNonNull("op") ? l.get("op").asText() : null;
                // the manifest does not say dense or conv; its layers are the ones its author analyses
                layers.add(new HiddenLayer(layers.size() + 1, lname, tensor, units, op, true));
            }
        } else {
            layers = defaultLayers(cps.get(cps.size() - 1));
        }
        String output = root.hasNonNull("output") && !root.get("output").asText().isBlank()
                ? root.get("output").asText() : null;
        return new ModelSeries(name, dir, dataset, inputShape, norm, cps, layers, root, output);
    }

    private static String safeCanonical(String d) {
        try {
            return Datasets.canonicalName(d);
        } catch (HavException e) {
            return d;
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    // ------------------------------------------------------------------ accessors

    public String name() {
        return name;
    }

    /** The folder holding the checkpoints. */
    public Path dir() {
        return dir;
    }

    /** The dataset the manifest names (canonical: "mnist", "fashion-mnist", "cifar10"), or null. */
    public String dataset() {
        return dataset;
    }

    /** The input shape the manifest records, or null. */
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    /** Checkpoints by increasing epoch. */
    public List<Checkpoint> checkpoints() {
        return checkpoints;
    }

    /** The analysed hidden layers, numbered from 1. */
    public List<HiddenLayer> hiddenLayers() {
        return hiddenLayers;
    }

    /** The manifest as parsed JSON (training settings, seed, ...), or null without one. */
    public JsonNode manifest() {
        return manifest;
    }

    /** True when the manifest says a flat input takes pixels in HWC order ({@code "input_layout": "hwc"}). */
    public boolean flatInputIsHwc() {
        return manifest != null && manifest.path("input_layout").asText("").toLowerCase().contains("hwc");
    }

    /** The output tensor whose argmax is the prediction, as the manifest names it; null: the first graph output. */
    public String outputTensor() {
        return output;
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

    /** The hidden layer numbered {@code number} (from 1); the error gives the valid range. */
    public HiddenLayer layer(int number) {
        if (hiddenLayers.isEmpty()) {
            throw new HavException("model " + name, "no hidden layers found (no activation after a Gemm, MatMul or"
                    + " Conv)", "name the tensors in " + MANIFEST + " \"hidden_layers\"; 'hav inspect' lists the"
                    + " graph's candidates");
        }
        if (number < 1 || number > hiddenLayers.size()) {
            throw new HavException("layer " + number, "out of range for model " + name, "valid layers: 1.."
                    + hiddenLayers.size() + " (" + String.join(", ", hiddenLayers.stream().map(HiddenLayer::name)
                    .toList()) + ")");
        }
        return hiddenLayers.get(number - 1);
    }

    private String describeEpochs() {
        List<Integer> e = epochs();
        if (e.size() <= 12) {
            return e.toString();
        }
        return e.subList(0, 5) + " ... " + e.subList(e.size() - 3, e.size()) + " (" + e.size() + " checkpoints)";
    }

    /** Provenance: name, folder, dataset, normalisation, layers, epochs. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("dir", dir.toString());
        m.put("dataset", dataset);
        m.put("normalisation", normalisation.toString());
        m.put("hidden_layers", hiddenLayers.stream().map(l -> Map.of("number", l.number(), "name", l.name(),
                "tensor", l.tensor(), "units", l.units())).toList());
        m.put("epochs", epochs());
        return m;
    }

    @Override
    public String toString() {
        return "model " + name + " (" + checkpoints.size() + " checkpoints, epochs " + firstEpoch() + ".."
                + lastEpoch() + ", " + hiddenLayers.size() + " hidden layers)";
    }
}
