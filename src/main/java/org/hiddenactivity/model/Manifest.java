package org.hiddenactivity.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.Suggest;
import org.hiddenactivity.core.Warnings;

/**
 * A model folder's {@code manifest.json}, parsed and validated (docs/manifest.md documents every field). Parsing is
 * pure: every problem is a {@link HavException} naming the manifest, the field and the fix; where the files lie is
 * checked by {@link ModelSeries}.
 *
 * @param file          the manifest
 * @param name          the model's name as written (may be any text; see {@link ModelSeries#safeName()})
 * @param dataset       the dataset it was trained on, or null
 * @param inputShape    the input shape recorded (-1 = dynamic), or null
 * @param inputLayout   "chw"/"hwc" (order of a flat input's pixels) or "nchw"/"nhwc", or null
 * @param normalisation the input normalisation, or null when the manifest gives none
 * @param hiddenLayers  the layers it names, or an empty list (then the default rule chooses)
 * @param output        the tensor whose argmax is the prediction, or null (the first graph output)
 * @param checkpoints   its checkpoints by increasing epoch
 * @param root          the whole document (training settings, seed, ...), for provenance
 */
public record Manifest(Path file, String name, String dataset, long[] inputShape, String inputLayout,
                       Normalisation normalisation, List<LayerEntry> hiddenLayers, String output,
                       List<Entry> checkpoints, JsonNode root) {
    public static final String FILE_NAME = "manifest.json";
    /** A manifest is a small text file; anything larger is not one. */
    static final long MAX_BYTES = 16L << 20;
    /** Fields read by hav; the informational ones are kept for provenance. */
    static final Set<String> FIELDS = Set.of("name", "dataset", "input_shape", "input_layout", "normalisation",
            "normalization", "hidden_layers", "output", "checkpoints", "architecture", "width", "input_name",
            "pixel_scale", "training", "seed", "description", "framework", "opset", "classes");
    static final Set<String> LAYOUTS = Set.of("chw", "hwc", "nchw", "nhwc");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** One entry of {@code checkpoints}: {@code file} is relative to the model folder. */
    public record Entry(int epoch, String file, String sha256, Double testAccuracy) {}

    /** One entry of {@code hidden_layers}. */
    public record LayerEntry(String name, String tensor, int units, String op, LayerKind kind) {}

    /** Reads and validates a manifest file (regular file, at most 16 MiB). */
    public static Manifest read(Path file) {
        return parse(file, InputFiles.readAll(file, "a manifest.json", MAX_BYTES, "a manifest is a small text file"));
    }

    /** Validates a manifest's bytes; {@code file} names it in messages. */
    public static Manifest parse(Path file, byte[] content) {
        String where = file.toString();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(content);
        } catch (IOException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new HavException(where, "not valid JSON (" + first + ")", "fix or delete the manifest");
        }
        if (root == null || !root.isObject()) {
            throw new HavException(where, "not a JSON object", "fix or delete the manifest; docs/manifest.md shows"
                    + " an example");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f) && !f.startsWith("_")) {
                Warnings.warn(where + ": unknown field \"" + f + "\" ignored ("
                        + Suggest.didYouMean(f, FIELDS) + "docs/manifest.md lists the fields)");
            }
        }
        List<Entry> checkpoints = checkpoints(where, root.path("checkpoints"));
        String name = optionalText(where, root, "name");
        String dataset = optionalText(where, root, "dataset");
        long[] inputShape = inputShape(where, root.get("input_shape"));
        String layout = optionalText(where, root, "input_layout");
        if (layout != null) {
            layout = layout.toLowerCase(Locale.ROOT);
            if (!LAYOUTS.contains(layout)) {
                throw new HavException(where, "\"input_layout\": \"" + layout + "\" is not a layout",
                        "use chw or hwc (order of a flat input's pixels), nchw or nhwc");
            }
        }
        JsonNode n = root.hasNonNull("normalisation") ? root.get("normalisation") : root.get("normalization");
        Normalisation norm = n == null || n.isNull() ? null : normalisation(where, n);
        List<LayerEntry> layers = hiddenLayers(where, root.get("hidden_layers"));
        String output = optionalText(where, root, "output");
        return new Manifest(file, name, dataset, inputShape, layout, norm, layers, output, checkpoints, root);
    }

    private static List<Entry> checkpoints(String where, JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            throw new HavException(where, "no \"checkpoints\" list", "list them as {\"epoch\": 0, \"file\":"
                    + " \"epoch_000.onnx\"}, or delete the manifest to take the .onnx files of the folder");
        }
        TreeMap<Integer, Entry> byEpoch = new TreeMap<>();
        for (JsonNode c : list) {
            if (!c.isObject()) {
                throw new HavException(where, "checkpoint entry " + c + " is not an object",
                        "write each as {\"epoch\": 0, \"file\": \"epoch_000.onnx\"}");
            }
            JsonNode fileNode = c.get("file");
            if (fileNode == null || !fileNode.isTextual() || fileNode.asText().isBlank()) {
                throw new HavException(where, "a checkpoint entry has no \"file\" name: " + c,
                        "give each checkpoint its file name, relative to the model folder");
            }
            String file = fileNode.asText();
            Integer epoch;
            JsonNode e = c.get("epoch");
            if (e == null || e.isNull()) {
                epoch = ModelSeries.epochOf(file);
                if (epoch == null) {
                    throw new HavException(where, "checkpoint " + file + " has no \"epoch\" and none in its name",
                            "give each checkpoint its epoch, a whole number such as 0 or 20");
                }
            } else if (e.isIntegralNumber() && e.canConvertToInt() && e.asInt() >= 0) {
                epoch = e.asInt();
            } else {
                throw new HavException(where, "checkpoint " + file + " has \"epoch\": " + e
                        + ", not a whole number >= 0", "write the epoch as a number, e.g. \"epoch\": 0");
            }
            String sha = null;
            if (c.hasNonNull("sha256")) {
                sha = c.get("sha256").asText();
                if (!c.get("sha256").isTextual() || !SHA256.matcher(sha).matches()) {
                    throw new HavException(where, "checkpoint " + file + " has \"sha256\": " + c.get("sha256")
                            + ", not 64 hexadecimal digits", "write the file's SHA-256 (sha256sum FILE) or leave the"
                            + " field out");
                }
            }
            Double accuracy = null;
            if (c.hasNonNull("test_accuracy")) {
                if (!c.get("test_accuracy").isNumber() || !Double.isFinite(c.get("test_accuracy").asDouble())) {
                    throw new HavException(where, "checkpoint " + file + " has \"test_accuracy\": "
                            + c.get("test_accuracy") + ", not a number", "write it as a fraction such as 0.98");
                }
                accuracy = c.get("test_accuracy").asDouble();
            }
            Entry previous = byEpoch.put(epoch, new Entry(epoch, file, sha, accuracy));
            if (previous != null) {
                throw new HavException(where, "epoch " + epoch + " is listed twice (" + previous.file() + " and "
                        + file + ")", "list each epoch once");
            }
        }
        return List.copyOf(byEpoch.values());
    }

    private static String optionalText(String where, JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new HavException(where, "\"" + field + "\": " + v + " is not a string", "write it in quotes");
        }
        return v.asText().isBlank() ? null : v.asText();
    }

    private static long[] inputShape(String where, JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.isArray() || s.size() < 2 || s.size() > 8) {
            throw new HavException(where, "\"input_shape\": " + s + " is not a shape of 2 to 8 dimensions",
                    "write it as [-1, 784] or [-1, 1, 28, 28] (-1 = dynamic), or leave it out");
        }
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (d.isIntegralNumber() && d.canConvertToLong() && d.asLong() > 0) {
                shape[i] = d.asLong();
            } else if (d.isNull() || d.isTextual() || (d.isIntegralNumber() && d.asLong() == -1)) {
                shape[i] = -1;
            } else {
                throw new HavException(where, "\"input_shape\" dimension " + i + " is " + d, "use a positive size,"
                        + " or -1 (or a name) for a dynamic one");
            }
        }
        return shape;
    }

    private static Normalisation normalisation(String where, JsonNode n) {
        if (!n.isObject() || !n.has("mean") || !n.has("std")) {
            throw new HavException(where, "\"normalisation\": " + n + " needs both \"mean\" and \"std\"",
                    "write {\"mean\": [0.1307], \"std\": [0.3081]} (one value, or one per channel), as used in"
                            + " training on pixels in [0, 1]");
        }
        float[] mean = numbers(where, "normalisation.mean", n.get("mean"));
        float[] std = numbers(where, "normalisation.std", n.get("std"));
        return Normalisation.of(mean, std, where);
    }

    static float[] numbers(String where, String field, JsonNode v) {
        List<JsonNode> items = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(items::add);
        } else {
            items.add(v);
        }
        if (items.isEmpty() || items.size() > 64) {
            throw new HavException(where, field + " has " + items.size() + " values", "give one value, or one per"
                    + " channel");
        }
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = items.get(i);
            if (!x.isNumber() || !Double.isFinite(x.asDouble()) || Math.abs(x.asDouble()) > Float.MAX_VALUE) {
                throw new HavException(where, field + " value " + x + " is not a finite number", "write numbers"
                        + " such as 0.1307");
            }
            out[i] = (float) x.asDouble();
        }
        return out;
    }

    private static List<LayerEntry> hiddenLayers(String where, JsonNode hl) {
        if (hl == null || hl.isNull()) {
            return List.of();
        }
        if (!hl.isArray()) {
            throw new HavException(where, "\"hidden_layers\" is not a list", "list tensor names, or objects with"
                    + " \"tensor\" (hav inspect lists the candidates)");
        }
        List<LayerEntry> layers = new ArrayList<>();
        for (JsonNode l : hl) {
            String tensor = l.isTextual() ? l.asText() : l.isObject() && l.path("tensor").isTextual()
                    ? l.get("tensor").asText() : "";
            if (tensor.isBlank()) {
                throw new HavException(where, "a hidden layer has no \"tensor\": " + l,
                        "give the ONNX tensor name of each hidden layer (hav inspect lists them)");
            }
            String name = l.isObject() && l.path("name").isTextual() ? l.get("name").asText() : tensor;
            int units = l.isObject() && l.path("units").canConvertToInt() ? l.path("units").asInt(-1) : -1;
            String op = l.isObject() && l.path("op").isTextual() ? l.get("op").asText() : null;
            LayerKind kind = null;
            if (l.isObject() && l.hasNonNull("kind")) {
                kind = LayerKind.parse(l.get("kind").asText());
                if (kind == null) {
                    throw new HavException(where, "hidden layer " + tensor + " has \"kind\": " + l.get("kind"),
                            "use dense, conv, pooled or residual, or leave it out");
                }
            }
            layers.add(new LayerEntry(name, tensor, units, op, kind));
        }
        if (layers.isEmpty()) {
            Warnings.warn(where + ": \"hidden_layers\" is empty, so the default rule chooses the layers");
        }
        return List.copyOf(layers);
    }

    /** The class count the manifest records in {@code classes} (a list of names, or a number); -1 when it does not. */
    public int classCount() {
        JsonNode c = root == null ? null : root.get("classes");
        if (c != null && c.isArray() && !c.isEmpty()) {
            return c.size();
        }
        return c != null && c.canConvertToInt() && c.asInt() > 0 ? c.asInt() : -1;
    }
}
