package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every option of a command with the value it ran with (given or defaulted), by its longest name, read from the
 * command's JCommander fields (delegates included), so that an option added later is recorded without a change
 * here. Provenance holds it as "options". Left out: --help (no run) and --out (where the run is written: two runs
 * into two folders would always differ).
 */
final class CommandLineRecord {
    /** Options that say nothing about the result. */
    static final Set<String> NOT_RECORDED = Set.of("--help", "--out");

    private CommandLineRecord() {}

    /** The options of {@code command} by name, sorted. */
    static Map<String, Object> of(Object command) {
        Map<String, Object> out = new TreeMap<>();
        collect(command, out);
        return out;
    }

    private static void collect(Object holder, Map<String, Object> out) {
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                try {
                    if (f.isAnnotationPresent(ParametersDelegate.class)) {
                        f.setAccessible(true);
                        Object delegate = f.get(holder);
                        if (delegate != null) {
                            collect(delegate, out);
                        }
                    } else if (f.isAnnotationPresent(Parameter.class)) {
                        String name = name(f.getAnnotation(Parameter.class));
                        if (name != null && !NOT_RECORDED.contains(name)) {
                            f.setAccessible(true);
                            out.put(name, value(f.get(holder)));
                        }
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read option field " + f, e);
                }
            }
        }
    }

    /** The longest of an option's names; null for the main parameter (a command's positional arguments). */
    static String name(Parameter p) {
        return Arrays.stream(p.names()).max(Comparator.comparingInt(String::length)).orElse(null);
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Path || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(CommandLineRecord::value).toList();
        }
        return String.valueOf(v);
    }
}
