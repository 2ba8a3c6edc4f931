package org.hiddenactivity.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers for JSON outputs: a metric that cannot be computed is {@code null} with a {@code NAME_reason} beside it,
 * never Jackson's default string {@code "NaN"}, which a reader takes for text or fails to parse as a number.
 */
public final class JsonValues {
    /** The reason given when the code that put a NaN gave none. */
    public static final String NOT_COMPUTABLE = "cannot be computed for this input";

    private JsonValues() {}

    /** Puts {@code value} under {@code key}, or null and {@code key_reason} = {@code reason} when it is not finite. */
    public static void putMetric(Map<String, Object> out, String key, double value, String reason) {
        if (Double.isFinite(value)) {
            out.put(key, value);
        } else {
            out.put(key, null);
            out.put(key + "_reason", reason);
        }
    }

    /**
     * A copy of {@code value} (maps and lists, recursively) in which every non-finite number of a map is null with a
     * {@code key_reason} ({@link #NOT_COMPUTABLE} unless one is there) and every non-finite number of a list is null.
     */
    public static Object finite(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (nonFinite(v)) {
                    out.put(k, null);
                    Object reasonKey = k + "_reason";
                    if (!m.containsKey(reasonKey)) {
                        out.put(reasonKey, NOT_COMPUTABLE);
                    }
                } else {
                    out.put(k, finite(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(nonFinite(v) ? null : finite(v)));
            return out;
        }
        if (value instanceof double[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (double v : a) {
                out.add(Double.isFinite(v) ? v : null);
            }
            return out;
        }
        return value;
    }

    private static boolean nonFinite(Object v) {
        return (v instanceof Double d && !Double.isFinite(d)) || (v instanceof Float f && !Float.isFinite(f));
    }
}
