package org.hiddenactivity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leaf-by-leaf differences of two JSON trees (objects by key, arrays by index), numbers equal within a relative
 * tolerance. Paths read like {@code tsne.perplexity} and {@code layers.steps[2].kl_divergence}. Written here because
 * the JSON-patch libraries (zjsonpatch, json-patch) report edit operations, not a per-value comparison with a
 * numeric tolerance.
 */
final class JsonDiff {
    /** Longest value text shown in a line; a longer one is cut with its length said. */
    static final int SHOWN_CHARS = 200;
    /** Longest finding sentence shown whole; a sentence is what the reader of a changed conclusion needs. */
    static final int SENTENCE_CHARS = 600;

    /** Numbers are equal when they differ by at most {@code relative} of the larger or by at most {@code absolute}. */
    record Tolerance(double relative, double absolute) {
        boolean same(double x, double y) {
            double d = Math.abs(x - y);
            return x == y || d <= absolute || d <= relative * Math.max(Math.abs(x), Math.abs(y));
        }
    }

    /** A finding whose verdict or sign changed, or that is in one run only. */
    record Conclusion(String id, String what, JsonNode a, JsonNode b) {
        String describe() {
            return id + ": " + what + "\n    A: " + text(a) + "\n    B: " + text(b);
        }

        private static String text(JsonNode f) {
            return f == null ? "(absent)" : shown(f.path("text"), SENTENCE_CHARS);
        }
    }

    /** One differing value; {@code a} or {@code b} is null when the path exists on one side only. */
    record Difference(String section, String path, JsonNode a, JsonNode b) {
        String describe() {
            if (a == null) {
                return path + ": only in B (" + shown(b) + ")";
            }
            if (b == null) {
                return path + ": only in A (" + shown(a) + ")";
            }
            String text = path + ": " + shown(a) + " -> " + shown(b);
            if (a.isNumber() && b.isNumber()) {
                text += String.format(java.util.Locale.ROOT, "  (%+.4g)", b.asDouble() - a.asDouble());
            }
            return text;
        }
    }

    private JsonDiff() {}

    /** The JSON text of {@code v} (control characters escaped), cut at {@link #SHOWN_CHARS}. */
    static String shown(JsonNode v) {
        return shown(v, SHOWN_CHARS);
    }

    static String shown(JsonNode v, int max) {
        String t = String.valueOf(v);
        return t.length() <= max ? t : t.substring(0, max) + "... (" + t.length() + " characters)";
    }

    /**
     * A copy of {@code results} whose "findings" array is an object keyed by each finding's id, so that findings
     * are compared by what they state, not by their position in the list.
     */
    static JsonNode findingsById(JsonNode results) {
        JsonNode findings = results.get("findings");
        if (!results.isObject() || findings == null || !findings.isArray()) {
            return results;
        }
        ObjectNode copy = ((ObjectNode) results).deepCopy();
        ObjectNode byId = copy.objectNode();
        for (int i = 0; i < findings.size(); i++) {
            JsonNode f = findings.get(i);
            String id = f.hasNonNull("id") ? f.get("id").asText() : "#" + i;
            byId.set(byId.has(id) ? id + "#" + i : id, f);
        }
        copy.set("findings", byId);
        return copy;
    }

    /**
     * The findings (objects keyed by id, see {@link #findingsById}) whose verdict ("finding") or sign of the
     * estimate changed (beyond the tolerance), and those in one run only, in A's order then B's.
     */
    static List<Conclusion> conclusions(JsonNode a, JsonNode b, Tolerance tolerance) {
        List<Conclusion> out = new ArrayList<>();
        if (a == null || b == null || !a.isObject() || !b.isObject()) {
            return out;
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            JsonNode fa = a.get(id);
            JsonNode fb = b.get(id);
            if (fb == null) {
                out.add(new Conclusion(id, "only in A", fa, null));
                continue;
            }
            List<String> what = new ArrayList<>();
            if (fa.has("finding") && fb.has("finding") && fa.get("finding").asBoolean() != fb.get("finding").asBoolean()) {
                what.add("verdict " + (fa.get("finding").asBoolean() ? "finding" : "within uncertainty") + " -> "
                        + (fb.get("finding").asBoolean() ? "finding" : "within uncertainty"));
            }
            double ea = estimate(fa);
            double eb = estimate(fb);
            double sa = Math.abs(ea) <= tolerance.absolute() ? 0 : Math.signum(ea);
            double sb = Math.abs(eb) <= tolerance.absolute() ? 0 : Math.signum(eb);
            // a sign that flips within the tolerance (1e-17 against 0) is noise, not a changed conclusion
            if (!Double.isNaN(sa) && !Double.isNaN(sb) && sa != sb && !tolerance.same(ea, eb)) {
                what.add("sign " + sign(sa) + " -> " + sign(sb));
            }
            if (!what.isEmpty()) {
                out.add(new Conclusion(id, String.join(", ", what), fa, fb));
            }
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            if (!a.has(id)) {
                out.add(new Conclusion(id, "only in B", null, b.get(id)));
            }
        }
        return out;
    }

    private static double estimate(JsonNode f) {
        for (String key : new String[] {"change", "relative_change"}) {
            if (f.has(key) && f.get(key).isNumber()) {
                return f.get(key).asDouble();
            }
        }
        return Double.NaN;
    }

    private static String sign(double s) {
        return s > 0 ? "+" : s < 0 ? "-" : "0";
    }

    /** An absolute path inside a text: from a leading slash up to a space or a bracket. */
    private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w.~])/[^\\s,;()\\[\\]\"']+");

    /**
     * True when the two values are texts that are equal once every absolute path in them is cut to its last two
     * names ("/home/a/models/mnist_mlp/manifest.json" and "/work/models/mnist_mlp/manifest.json" both
     * "mnist_mlp/manifest.json"): the same file in another folder.
     */
    static boolean differsOnlyInFolders(Difference d) {
        if (d.a() == null || d.b() == null || !d.a().isTextual() || !d.b().isTextual()) {
            return false;
        }
        String a = d.a().asText();
        String b = d.b().asText();
        return !a.equals(b) && ABSOLUTE.matcher(a).find() && tail(a).equals(tail(b));
    }

    private static String tail(String text) {
        Matcher m = ABSOLUTE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String[] names = m.group().split("/+");
            int n = names.length;
            String cut = n >= 2 ? names[n - 2] + "/" + names[n - 1] : names[n - 1];
            m.appendReplacement(sb, Matcher.quoteReplacement(cut));
        }
        m.appendTail(sb);
        return sb.toString();
    }

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
    static List<Difference> compare(String section, JsonNode a, JsonNode b, Tolerance tolerance,
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

    private static boolean same(JsonNode a, JsonNode b, Tolerance tolerance) {
        if (a.isNumber() && b.isNumber()) {
            return tolerance.same(a.asDouble(), b.asDouble());
        }
        return a.equals(b);
    }
}
