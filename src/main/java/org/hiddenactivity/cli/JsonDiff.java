package org.hiddenactivity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leaf-by-leaf differences of two JSON trees (objects by key, arrays by index), numbers equal within a relative
 * tolerance. Paths read like {@code tsne.perplexity} and {@code layers.steps[2].kl_divergence}. Written here because
 * the JSON-patch libraries (zjsonpatch, json-patch) report edit operations, not a per-value comparison with a
 * numeric tolerance.
 */
final class JsonDiff {
    /** One differing value; {@code a} or {@code b} is null when the path exists on one side only. */
    record Difference(String section, String path, JsonNode a, JsonNode b) {
        String describe() {
            if (a == null) {
                return path + ": only in B (" + b + ")";
            }
            if (b == null) {
                return path + ": only in A (" + a + ")";
            }
            String text = path + ": " + a + " -> " + b;
            if (a.isNumber() && b.isNumber()) {
                text += String.format(java.util.Locale.ROOT, "  (%+.4g)", b.asDouble() - a.asDouble());
            }
            return text;
        }
    }

    private JsonDiff() {}

    /** Leaves of {@code node} by path, in document order. */
    static Map<String, JsonNode> leaves(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.put(path, node);
        }
    }

    /**
     * Differences of {@code a} and {@code b}, leaving out the paths {@code ignored} accepts (they are counted in
     * {@code ignoredCount[0]} when they differ).
     */
    static List<Difference> compare(String section, JsonNode a, JsonNode b, double tolerance,
                                    java.util.function.Predicate<String> ignored, int[] ignoredCount) {
        Map<String, JsonNode> la = leaves(a);
        Map<String, JsonNode> lb = leaves(b);
        Set<String> paths = new LinkedHashSet<>(la.keySet());
        paths.addAll(lb.keySet());
        List<Difference> out = new ArrayList<>();
        for (String path : paths) {
            JsonNode va = la.get(path);
            JsonNode vb = lb.get(path);
            if (va != null && vb != null && same(va, vb, tolerance)) {
                continue;
            }
            if (ignored.test(path)) {
                ignoredCount[0]++;
                continue;
            }
            out.add(new Difference(section, path, va, vb));
        }
        return out;
    }

    private static boolean same(JsonNode a, JsonNode b, double tolerance) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            return x == y || Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
        }
        return a.equals(b);
    }
}
