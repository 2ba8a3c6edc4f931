package org.hiddenactivity.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.hiddenactivity.core.HavException;

/** A batch plan: {@code {"runs": [{"name", "model", "options": [...], "command"}]}}, checked before anything runs. */
public record BatchPlan(List<Run> runs) implements Serializable {
    /** The analysis commands a run may name; each writes one folder (its --out). */
    static final Set<String> COMMANDS = Set.of("report", "project", "layers", "epochs", "neurons", "discriminative");
    /** Options the batch sets itself. */
    static final Set<String> RESERVED = Set.of("--out", "--json", "--model", "-h", "--help");

    /** One run: a hav analysis command with its options, written to runs/NAME/. */
    public record Run(String name, String command, String model, List<String> options) implements Serializable {
        /** The command line of {@code hav} this run executes, writing into {@code out}. */
        List<String> argv(String out) {
            List<String> a = new ArrayList<>();
            a.add(command);
            a.add("--model");
            a.add(model);
            a.addAll(options);
            a.add("--out");
            a.add(out);
            a.add("--json");
            return a;
        }
    }

    /** Parses and checks a plan; {@code file} names it in errors. */
    public static BatchPlan parse(String text, String file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HavException(file, "not valid JSON (" + e.getOriginalMessage() + ")",
                    "write the plan as {\"runs\": [{\"name\": \"a\", \"model\": \"mnist_mlp\", \"options\": [\"--size\", \"300\"]}]}");
        }
        if (root == null || !root.isObject() || !root.path("runs").isArray()) {
            throw new HavException(file, "the plan has no \"runs\" list", "write it as {\"runs\": [{\"name\": ...,"
                    + " \"model\": ..., \"options\": [...]}]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("runs")) {
                throw new HavException(file, "unknown field \"" + f + "\"", "a plan holds only \"runs\"");
            }
        }
        List<Run> runs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode r : root.get("runs")) {
            String where = file + ": runs[" + i++ + "]";
            if (!r.isObject()) {
                throw new HavException(where, "a run must be an object", "give {\"name\", \"model\", \"options\"}");
            }
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("name", "model", "options", "command").contains(f)) {
                    throw new HavException(where, "unknown field \"" + f + "\"",
                            "a run has name, model, options and optionally command");
                }
            }
            String name = text(r, "name", where);
            if (!name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")) {
                throw new HavException(where, "name \"" + name + "\" is not a plain folder name",
                        "use letters, digits, '.', '_' and '-' (at most 100, not starting with '.' or '-')");
            }
            if (!names.add(name)) {
                throw new HavException(where, "name \"" + name + "\" is used twice", "give every run its own name");
            }
            String model = text(r, "model", where);
            String command = r.has("command") ? text(r, "command", where) : "report";
            if (!COMMANDS.contains(command)) {
                throw new HavException(where, "command \"" + command + "\" cannot run in a batch",
                        "use one of " + new java.util.TreeSet<>(COMMANDS));
            }
            List<String> options = new ArrayList<>();
            JsonNode o = r.path("options");
            if (!o.isMissingNode()) {
                if (!o.isArray()) {
                    throw new HavException(where, "\"options\" must be a list of strings", "e.g. [\"--size\", \"300\"]");
                }
                for (JsonNode v : o) {
                    if (!v.isTextual() && !v.isNumber()) {
                        throw new HavException(where, "option " + v + " is not a string",
                                "write every option and value as a string, e.g. [\"--size\", \"300\"]");
                    }
                    String s = v.asText();
                    if (RESERVED.contains(s)) {
                        throw new HavException(where, "option " + s + " is set by the batch",
                                "leave it out (the model is \"model\", the output is DIR/runs/" + name + ")");
                    }
                    options.add(s);
                }
            }
            runs.add(new Run(name, command, model, List.copyOf(options)));
        }
        if (runs.isEmpty()) {
            throw new HavException(file, "the plan has no runs", "list at least one run");
        }
        return new BatchPlan(List.copyOf(runs));
    }

    private static String text(JsonNode r, String field, String where) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new HavException(where, "\"" + field + "\" is missing or not a string", "give it, e.g. \"" + field
                    + "\": \"" + (field.equals("model") ? "mnist_mlp" : "run1") + "\"");
        }
        return v.asText();
    }
}
