package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which graph output holds the class scores (its argmax is the prediction), and why. The rule: the manifest's
 * {@code output} when it names one; the only output; else the output of shape [N, K] with K the class count (from the
 * dataset, or the manifest's {@code classes} / built-in {@code dataset} before the data is loaded); when no count is
 * known, or none or several outputs have K units, the one output no other output is computed from, else the first.
 *
 * @param tensor  the output's name
 * @param reason  why it was taken, one phrase
 * @param warning when the rule could not decide cleanly (several or no outputs with K units): what was taken and
 *                why, for the user; else null
 * @param classes the class count the choice used, -1 when none was known
 * @param first   true when it is the graph's first output (what hav took before any choice)
 */
public record ClassOutput(String tensor, String reason, String warning, int classes, boolean first) {
    private static final String ONLY = "the only graph output";

    /** True when the graph has this one output: no class count can change the choice. */
    boolean onlyOutput() {
        return ONLY.equals(reason);
    }

    /** The same choice; {@code first} from whether {@code tensor} is {@code firstOutput}. */
    ClassOutput(String tensor, String reason, String warning, int classes, String firstOutput) {
        this(tensor, reason, warning, classes, tensor.equals(firstOutput));
    }

    /**
     * Chooses among {@code g}'s outputs; {@code named}: the manifest's {@code output} or null; {@code classes}: the
     * class count (-1 unknown) and {@code countFrom} where it comes from ("the dataset mnist").
     */
    static ClassOutput choose(OnnxGraph g, String named, int classes, String countFrom) {
        String first = g.finalOutput();
        if (named != null) {
            return new ClassOutput(named, "named in " + Manifest.FILE_NAME + " \"output\"", null, classes, first);
        }
        List<String> outputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.graph().getOutputList()) {
            outputs.add(v.getName());
        }
        if (outputs.size() == 1) {
            return new ClassOutput(first, ONLY, null, classes, first);
        }
        List<String> sinks = sinks(g, outputs);
        String sinkReason = sinks.size() == 1 ? "the one graph output no other output is computed from" : null;
        if (classes <= 0) {
            if (sinks.size() == 1) {
                return new ClassOutput(sinks.get(0), sinkReason + "; no class count known", null, classes,
                        first);
            }
            return new ClassOutput(first, "the first of " + outputs.size() + " graph outputs (no class count known)",
                    "the model has " + outputs.size() + " outputs " + outputs + " and no class count is known: "
                    + first + " (the first) is taken as the class scores; name it in " + Manifest.FILE_NAME
                    + " \"output\"", classes, first);
        }
        Map<String, long[]> shapes = shapesOf(g, outputs);
        List<String> matching = new ArrayList<>();
        for (String o : outputs) {
            long[] s = shapes.get(o);
            if (s != null && s.length == 2 && s[1] == classes) {
                matching.add(o);
            }
        }
        if (matching.size() == 1) {
            return new ClassOutput(matching.get(0), "the graph output with as many units as classes (" + classes
                    + ", from " + countFrom + ")", null, classes, first);
        }
        String taken;
        String why;
        List<String> pool = matching.isEmpty() ? outputs : matching;
        List<String> poolSinks = sinks.stream().filter(pool::contains).toList();
        if (poolSinks.size() == 1) {
            taken = poolSinks.get(0);
            why = "it is the one no other output is computed from";
        } else {
            taken = pool.get(0);
            why = "it is the first";
        }
        String what = matching.isEmpty() ? "no graph output has " + classes + " units (" + describe(outputs, shapes)
                + ")" : matching.size() + " graph outputs have " + classes + " units " + matching;
        return new ClassOutput(taken, what + "; " + taken + " taken: " + why, "class scores: " + what + " ("
                + classes + " classes, from " + countFrom + "); " + taken + " is taken because " + why + "; name the"
                + " class-score output in " + Manifest.FILE_NAME + " \"output\"", classes, first);
    }

    private static String describe(List<String> outputs, Map<String, long[]> shapes) {
        List<String> parts = new ArrayList<>();
        for (String o : outputs) {
            parts.add(o + " " + (shapes.get(o) == null ? "shape unknown" : InputFit.render(shapes.get(o))));
        }
        return String.join(", ", parts);
    }

    /** The outputs' shapes: recorded ones, else from a run on zeros. */
    private static Map<String, long[]> shapesOf(OnnxGraph g, List<String> outputs) {
        Map<String, long[]> recorded = g.recordedShapes();
        if (outputs.stream().allMatch(recorded::containsKey)) {
            return recorded;
        }
        Map<String, long[]> out = new HashMap<>();
        ModelInspector.Shapes s = ModelInspector.shapes(g, outputs, null);
        for (String o : outputs) {
            out.put(o, s.of(o));
        }
        return out;
    }

    /** The outputs that no other output is computed from (walks each output's ancestors once). */
    private static List<String> sinks(OnnxGraph g, List<String> outputs) {
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto n : g.graph().getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        Set<String> fed = new HashSet<>();
        for (String o : outputs) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(o));
            while (!todo.isEmpty()) {
                String t = todo.pop();
                if (!seen.add(t)) {
                    continue;
                }
                if (!t.equals(o) && outputs.contains(t)) {
                    fed.add(t);
                }
                OnnxMl.NodeProto p = producer.get(t);
                if (p != null) {
                    for (String in : p.getInputList()) {
                        if (!in.isEmpty()) {
                            todo.push(in);
                        }
                    }
                }
            }
        }
        return outputs.stream().filter(o -> !fed.contains(o)).toList();
    }
}
