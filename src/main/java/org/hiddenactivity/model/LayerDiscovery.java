package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the hidden-layer candidates of an ONNX graph by what a tensor is, not by the op that produced it.
 *
 * <p>An activation is the last tensor of an element-wise computation on one pre-activation tensor X, where X comes
 * from a linear op (Gemm, MatMul, Conv, after bias adds, batch norms and reshapes) or from a residual Add. The
 * computation may be one op (Relu, Gelu, ...) or several (torch's GELU is Div, Erf, Add, Mul, Mul; SiLU is Sigmoid
 * then Mul with X): the candidate is the tensor no further element-wise op on X extends, so SiLU gives the Mul
 * output, never the Sigmoid gate. Besides activations: residual Adds (x + f(x), one input an ancestor of the other),
 * global pooling (GlobalAveragePool, ReduceMean/ReduceMax over the spatial axes) and a local pooling that is then
 * flattened. Which candidates the analyses take by default is {@link #choose}'s rule.
 */
final class LayerDiscovery {
    /** Ops whose output is a linear map of their data input: a pre-activation starts here. */
    static final Set<String> LINEAR = Set.of("Gemm", "MatMul", "Conv", "ConvTranspose", "Einsum", "MatMulInteger",
            "ConvInteger", "QLinearConv", "QLinearMatMul");
    /** Element-wise nonlinear functions of one data input (their other inputs, if any, are constants). */
    static final Set<String> NONLINEAR_UNARY = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Sigmoid",
            "Tanh", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish", "Gelu", "Erf", "ThresholdedRelu",
            "Clip", "Exp", "Log", "Abs", "Sqrt", "Reciprocal", "Pow", "Sin", "Cos");
    /** Max / Min: a clamp with a constant, or an element-wise choice between two functions of the same X. */
    static final Set<String> NONLINEAR_BINARY = Set.of("Max", "Min");
    static final Set<String> ARITHMETIC = Set.of("Add", "Sub", "Mul", "Div");
    /** Per-unit affine at inference time, or the identity: part of a pre-activation, not an activation. */
    static final Set<String> AFFINE = Set.of("BatchNormalization", "InstanceNormalization", "LayerNormalization",
            "GroupNormalization", "Identity", "Dropout", "Cast", "Neg");
    static final Set<String> SHAPE = Set.of("Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze");
    static final Set<String> LOCAL_POOL = Set.of("MaxPool", "AveragePool", "LpPool");
    static final Set<String> GLOBAL_POOL = Set.of("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
    static final Set<String> SPATIAL_REDUCE = Set.of("ReduceMean", "ReduceMax");
    /** Ops that produce a data-free value (a shape, a size) even from a data tensor. */
    private static final Set<String> DATA_FREE = Set.of("Shape", "Size", "Constant", "ConstantOfShape");

    /** How a candidate was recognised. */
    enum Role {
        /** An element-wise activation of a linear op's output. */
        ACTIVATION,
        /** An element-wise activation of a residual Add's output (x = act(x + f(x))). */
        RESIDUAL_ACTIVATION,
        /** A residual Add itself (x + f(x)). */
        RESIDUAL_ADD,
        /** Global pooling, or a reduction over the spatial axes. */
        GLOBAL_POOL,
        /** A local pooling whose output is flattened into the dense part. */
        POOL_BEFORE_FLATTEN,
        /** A normalisation's output that the classifier head reads (a transformer's final norm). */
        NORM_FEATURES,
        /** The last hidden state of an LSTM, GRU or RNN, as the head reads it. */
        RECURRENT,
        /** A graph output besides the class scores (an embedding). */
        EXTRA_OUTPUT
    }

    /**
     * A candidate before shapes are known.
     *
     * @param tensor      the tensor holding the layer's values
     * @param op          the op producing it
     * @param pattern     what it was recognised as ("relu", "gelu (erf form)", "residual add", ...)
     * @param sourceOp    the op its computation starts from (Gemm, Conv, Add for a residual block, GlobalAveragePool)
     * @param node        the producing node's name (may be empty)
     * @param role        how it was recognised
     * @param insideBlock the residual Add whose branch f(x) it lies in, or null
     * @param channelAxis the axis of its channels when it is a feature map (-1: none or unknown)
     * @param pooledFrom  for a global pool, the tensor it averages (else null)
     */
    record Found(String tensor, String op, String pattern, String sourceOp, String node, Role role,
                 String insideBlock, int channelAxis, String pooledFrom) {
        Found(String tensor, String op, String pattern, String sourceOp, String node, Role role, String insideBlock,
              int channelAxis) {
            this(tensor, op, pattern, sourceOp, node, role, insideBlock, channelAxis, null);
        }
    }



    private final OnnxMl.GraphProto graph;
    private final Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    private final Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
    private final Set<String> constants = new HashSet<>();
    private final Set<String> outputs = new HashSet<>();
    private final Map<String, Closure> closures = new HashMap<>();
    private final Map<String, Integer> channelAxis = new HashMap<>();
    private final Map<String, Integer> batchAxis = new HashMap<>();
    private final Map<String, Integer> ranks;
    /** Normalisation blocks: their output tensor -> their input X, and -> what they are ("layer norm", ...). */
    private final Map<String, String> normInput = new HashMap<>();
    private final Map<String, String> normName = new HashMap<>();
    private final Map<String, List<String>> normsOfInput = new HashMap<>();
    /** Gating products x * gate(...): their output -> the scaled tensor x. */
    private final Map<String, String> gatedInput = new HashMap<>();
    /** Tensors inside a normalisation or a gate, never candidates, with why. */
    private final Map<String, String> interior = new LinkedHashMap<>();
    /** Residual Adds whose block ends in a norm of their sum (post-norm): the Add -> the norm's output. */
    private final Map<String, String> postNormOf = new HashMap<>();
    /** Candidates left out because they are the logits, with why. */
    private final Map<String, String> logits = new LinkedHashMap<>();
    /** The class-score output ({@link ClassOutput}; the first graph output unless told otherwise). */
    private final String classOutput;
    /** Position of each tensor's producer in the node list (-1 for inputs and initializers). */
    private final Map<String, Integer> order = new HashMap<>();
    private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    /**
     * The most tensors one residual search visits: a branch f(x) larger than this is not taken for a residual block,
     * which keeps discovery linear in the graph's size (a transformer block has about a hundred).
     */
    static final int MAX_BRANCH = 4096;

    /**
     * The element-wise computation ending at a tensor: its single data source X (the leaf), the distinct nonlinear
     * ops on the way (in first-seen order), how many nonlinear ops there are, and how many ops combine two functions
     * of X (x * sigmoid(x) has one). Only distinct ops are kept so that a closure is O(1) in size whatever the graph
     * (a list of every op made long chains quadratic and self-adds exponential).
     */
    private record Closure(String leaf, List<String> distinct, long count, long combiners) {
        /** Counts are capped: they only tell one op from several. */
        private static final long CAP = 1L << 40;

        Closure with(String op) {
            List<String> d = distinct;
            if (!d.contains(op)) {
                d = new ArrayList<>(d);
                d.add(op);
                d = List.copyOf(d);
            }
            return new Closure(leaf, d, Math.min(CAP, count + 1), combiners);
        }

        Closure combinedWith(Closure other, String op) {
            List<String> d = new ArrayList<>(distinct);
            for (String o : other.distinct) {
                if (!d.contains(o)) {
                    d.add(o);
                }
            }
            long n = Math.min(CAP, count + other.count);
            if (op != null) {
                if (!d.contains(op)) {
                    d.add(op);
                }
                n = Math.min(CAP, n + 1);
            }
            return new Closure(leaf, List.copyOf(d), n, Math.min(CAP, combiners + other.combiners + 1));
        }

        boolean activated() {
            return count > 0;
        }
    }

    private LayerDiscovery(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes, String classOutput) {
        this.graph = graph;
        this.ranks = new HashMap<>();
        recordedShapes.forEach((k, v) -> ranks.put(k, v.length));
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            constants.add(t.getName());
            initializers.putIfAbsent(t.getName(), t);
        }
        for (OnnxMl.SparseTensorProto t : graph.getSparseInitializerList()) {
            constants.add(t.getValues().getName());
        }
        for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
            outputs.add(v.getName());
        }
        this.classOutput = classOutput != null ? classOutput
                : graph.getOutputCount() > 0 ? graph.getOutput(0).getName() : null;
        int index = 0;
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
                order.put(o, index);
            }
            index++;
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            boolean dataFree = DATA_FREE.contains(n.getOpType())
                    || n.getInputList().stream().allMatch(in -> in.isEmpty() || constants.contains(in));
            if (dataFree) {
                constants.addAll(n.getOutputList());
            }
        }
        propagateChannelAxes();
        propagateBatchAxes();
        findNormalisations();
        findGates();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!closures.containsKey(o)) {
                    closures.put(o, computeClosure(o));
                }
            }
        }
    }

    /** The candidates of {@code graph} in the graph's (topological) node order. */
    static List<Found> find(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes) {
        return new LayerDiscovery(graph, recordedShapes, null).candidates();
    }

    /** The analysis of {@code graph}, to ask several questions of (candidates, channel axes) for one linear pass. */
    static LayerDiscovery of(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes) {
        return new LayerDiscovery(graph, recordedShapes, null);
    }

    /** As {@link #of(OnnxMl.GraphProto, Map)} with {@code classOutput} as the class scores (null: the first output). */
    static LayerDiscovery of(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes, String classOutput) {
        return new LayerDiscovery(graph, recordedShapes, classOutput);
    }

    List<Found> candidates() {
        Map<String, Found> found = new LinkedHashMap<>();
        Map<String, String> skipOf = new HashMap<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOutputCount() == 0) {
                continue;
            }
            String out = n.getOutput(0);
            String op = n.getOpType();
            if (RECURRENT_OPS.contains(op)) {
                recurrentState(n, found);
                continue;
            }
            if (out.equals(classOutput) || constants.contains(out) || interior.containsKey(out)
                    || found.containsKey(out)) {
                continue; // the class scores are no hidden layer; a constant or a norm's internals are no layer at all
            }
            if (op.equals("Add") && dataInputs(n).size() == 2 && closure(out).leaf().equals(out)) {
                String skip = residualSkip(n);
                if (skip != null) {
                    skipOf.put(out, skip);
                    // a pre-norm network's last Add (its skip another residual Add) is read by the final norm alone
                    String norm = skipOf.containsKey(skip) ? null : postNorm(out);
                    if (norm != null) {
                        // norm(x + f(x)), torch's default transformer layer: the block ends after the norm
                        postNormOf.put(out, norm);
                        found.put(norm, new Found(norm, producer.get(norm).getOpType(), "residual add + "
                                + normName.get(norm) + " (post-norm block output)", "Add", n.getName(),
                                Role.RESIDUAL_ADD, null, axis(norm)));
                    } else if (!allConsumersExtend(out)) {
                        found.put(out, new Found(out, op, "residual add (x + f(x))", "Add", n.getName(),
                                Role.RESIDUAL_ADD, null, axis(out)));
                    }
                }
                continue;
            }
            if (GLOBAL_POOL.contains(op) || (SPATIAL_REDUCE.contains(op) && reducesSpace(n))) {
                found.put(out, new Found(out, op, poolPattern(op), op, n.getName(), Role.GLOBAL_POOL, null,
                        axis(out), n.getInput(0)));
                continue;
            }
            if (LOCAL_POOL.contains(op) && flattenedLater(out)) {
                found.put(out, new Found(out, op, kebab(op) + " before flatten", op, n.getName(),
                        Role.POOL_BEFORE_FLATTEN, null, axis(out)));
                continue;
            }
            Closure c = closure(out);
            if (normInput.containsKey(out) && !c.activated() && !anyConsumerExtends(out, c.leaf())
                    && readByHead(out)) {
                found.put(out, new Found(out, op, normName.get(out) + " output: the features the head reads",
                        normName.get(out), n.getName(), Role.NORM_FEATURES, null, axis(out)));
                continue;
            }
            if (!c.activated() || c.leaf().equals(out) || anyConsumerExtends(out, c.leaf())) {
                if (outputs.contains(out) && !c.leaf().equals(out) || outputs.contains(out) && producer.containsKey(out)
                        && !anyConsumerExtends(out, c.leaf())) {
                    found.put(out, new Found(out, op, "graph output '" + out + "' (besides the class scores)", op,
                            n.getName(), Role.EXTRA_OUTPUT, null, axis(out)));
                }
                continue;
            }
            OnnxMl.NodeProto leafNode = producer.get(c.leaf());
            if (leafNode == null) {
                continue; // an activation of the raw input is preprocessing, not a layer
            }
            String pattern = pattern(c);
            if (skipOf.containsKey(c.leaf())) {
                found.put(out, new Found(out, op, "residual add + " + pattern, "Add", n.getName(),
                        Role.RESIDUAL_ACTIVATION, null, axis(out)));
                continue;
            }
            String linear = linearBehind(c.leaf(), 0);
            if (linear != null) {
                found.put(out, new Found(out, op, outputs.contains(out) ? pattern + "; graph output '" + out + "'"
                        : pattern, linear, n.getName(), outputs.contains(out) ? Role.EXTRA_OUTPUT : Role.ACTIVATION,
                        null, axis(out)));
            } else if (outputs.contains(out)) {
                found.put(out, new Found(out, op, "graph output '" + out + "' (besides the class scores)", op,
                        n.getName(), Role.EXTRA_OUTPUT, null, axis(out)));
            }
        }
        markBlockInteriors(found, skipOf);
        for (String t : new ArrayList<>(found.keySet())) {
            Found f = found.get(t);
            if (f.role() != Role.EXTRA_OUTPUT && f.role() != Role.RECURRENT && leadsToOutput(t, 0)) {
                found.remove(t);
                logits.put(t, "the logits: the class output " + classOutput + " follows from it only through"
                        + " pooling, reshapes or softmax");
            }
        }
        return List.copyOf(found.values());
    }

    /** Why tensors that look like layers are not candidates: normalisation internals, gates, logits. */
    List<ExcludedTensor> excluded() {
        List<ExcludedTensor> out = new ArrayList<>();
        interior.forEach((t, why) -> out.add(new ExcludedTensor(t, why)));
        logits.forEach((t, why) -> out.add(new ExcludedTensor(t, why)));
        return out;
    }

    /** True for a tensor computed from constants only (weights, shapes). */
    boolean isConstant(String t) {
        return constants.contains(t);
    }

    /** Why a tensor that is neither a candidate nor excluded for a named reason is no layer (for inspect --all). */
    String whyNot(String t) {
        OnnxMl.NodeProto p = producer.get(t);
        String op = p == null ? "" : p.getOpType();
        Closure c = closure(t);
        if (LINEAR.contains(op)) {
            return "a linear op's output (the pre-activation); its activation is the layer";
        }
        if (RECURRENT_OPS.contains(op)) {
            return "a recurrent layer's raw output (sequence first: Y [T, directions, N, H], Y_h / Y_c [directions, N,"
                    + " H]); the candidate is its state as the head reads it (last step or state, mean over time, both directions)";
        }
        if (c.activated() && !c.leaf().equals(t) && anyConsumerExtends(t, c.leaf())) {
            return "part of an element-wise activation that ends later (the candidate is its last tensor)";
        }
        if (SHAPE.contains(op) || READ_OPS.contains(op)) {
            return "a reshape, gather or slice of another tensor";
        }
        if (AFFINE.contains(op) || ARITHMETIC.contains(op)) {
            return "an affine or arithmetic step (bias, scale, norm before an activation, mixing of branches)";
        }
        return "not an activation after a linear op, a residual block, a global pool, a norm the head reads or a"
                + " recurrent state; name it with --tensor to analyse it";
    }

    /** The class-score output. */
    String classOutput() {
        return classOutput;
    }

    // ---------------------------------------------------------------- normalisations, gates, heads, recurrence

    static final Set<String> RECURRENT_OPS = Set.of("LSTM", "GRU", "RNN");
    private static final Set<String> STATISTIC = Set.of("ReduceMean", "ReduceSumSquare", "ReduceL2", "ReduceSum");
    private static final Set<String> STATISTIC_PATH = Set.of("Sqrt", "Reciprocal", "Add", "Sub", "Mul", "Div", "Pow",
            "Cast", "Identity", "ReduceMean", "ReduceSumSquare", "ReduceL2", "ReduceSum");
    private static final Set<String> NATIVE_NORMS = Set.of("LayerNormalization", "GroupNormalization",
            "InstanceNormalization", "BatchNormalization", "RMSNormalization", "SimplifiedLayerNormalization");
    /** Ops through which a value reaches the head or the output unchanged in meaning. */
    private static final Set<String> READ_OPS = Set.of("Gather", "Slice", "Squeeze", "Unsqueeze", "Reshape",
            "Flatten", "Identity", "Transpose", "Cast", "ReduceMean");
    private static final Set<String> TO_OUTPUT_OPS = Set.of("GlobalAveragePool", "GlobalMaxPool", "ReduceMean",
            "ReduceMax", "Reshape", "Flatten", "Squeeze", "Softmax", "LogSoftmax", "Identity", "Cast", "Transpose");
    /** The most tensors one local pattern search looks at (a norm's statistics take about ten). */
    private static final int LOCAL = 32;

    /**
     * Normalisation blocks as one unit: native ops, torch's GroupNorm (Reshape, InstanceNormalization, Reshape), and
     * decompositions (LayerNorm below opset 17, RMSNorm): a Div or Mul of a (the centred input, or the input) by a
     * statistic computed from a through reductions only. Their internals go to {@link #interior}.
     */
    private void findNormalisations() {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            String op = n.getOpType();
            if (n.getOutputCount() == 0 || n.getInputCount() == 0 || n.getInput(0).isEmpty()) {
                continue;
            }
            String out = n.getOutput(0);
            if (NATIVE_NORMS.contains(op)) {
                String x = n.getInput(0);
                OnnxMl.NodeProto before = producer.get(x);
                List<OnnxMl.NodeProto> after = consumers.getOrDefault(out, List.of());
                if (op.equals("InstanceNormalization") && before != null && before.getOpType().equals("Reshape")
                        && after.size() == 1 && after.get(0).getOpType().equals("Reshape")
                        && consumers.getOrDefault(x, List.of()).size() == 1) {
                    // torch's GroupNorm: the groups as instances, then the map's own shape again
                    String gx = before.getInput(0);
                    String end = after.get(0).getOutput(0);
                    addNorm(end, gx, "group norm", List.of(x, out));
                } else {
                    addNorm(out, x, kebab(op).replace("-normalization", " norm").replace("normalization", "norm"),
                            List.of());
                }
                continue;
            }
            if (!(op.equals("Div") || op.equals("Mul")) || dataInputs(n).size() != 2 || constants.contains(out)) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                String a = n.getInput(side);
                String b = n.getInput(1 - side);
                Set<String> stats = statisticOf(b, a);
                if (stats == null || !stats.contains(a)) {
                    continue;
                }
                OnnxMl.NodeProto ap = producer.get(a);
                String x = a;
                List<String> inside = new ArrayList<>(stats);
                inside.remove(a);
                String name = "rms norm";
                if (ap != null && ap.getOpType().equals("Sub") && ap.getInputCount() == 2) {
                    OnnxMl.NodeProto mean = producer.get(ap.getInput(1));
                    if (mean != null && STATISTIC.contains(mean.getOpType())
                            && mean.getInput(0).equals(ap.getInput(0))) {
                        x = ap.getInput(0);
                        inside.add(a);
                        inside.add(ap.getInput(1));
                        name = "layer norm";
                    }
                }
                if (x.equals(a) && n.getOpType().equals("Div")) {
                    name = "l2 norm";
                }
                inside.remove(x);
                addNorm(out, x, name, inside);
                break;
            }
        }
    }

    private void addNorm(String normalised, String x, String name, List<String> inside) {
        // the norm's own scale and shift (Mul, Add by constants) belong to it: the block ends after them
        String end = normalised;
        List<String> all = new ArrayList<>(inside);
        for (int i = 0; i < 4; i++) {
            List<OnnxMl.NodeProto> cs = consumers.getOrDefault(end, List.of());
            if (cs.size() != 1 || !(cs.get(0).getOpType().equals("Mul") || cs.get(0).getOpType().equals("Add"))
                    || dataInputs(cs.get(0)).size() != 1 || cs.get(0).getOutputCount() != 1) {
                break;
            }
            all.add(end);
            end = cs.get(0).getOutput(0);
        }
        inside = all;
        normInput.put(end, x);
        normName.put(end, name);
        normsOfInput.computeIfAbsent(x, k -> new ArrayList<>()).add(end);
        for (String t : inside) {
            interior.putIfAbsent(t, "inside the " + name + " ending at " + end);
        }
    }

    /**
     * The tensors a statistic {@code b} is computed from, walking back through arithmetic and reductions only (at
     * most {@link #LOCAL}); null when no reduction is met, or a linear op or other op is.
     */
    private Set<String> statisticOf(String b, String a) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(b));
        boolean reduced = false;
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!seen.add(t) || seen.size() > LOCAL) {
                if (seen.size() > LOCAL) {
                    return null;
                }
                continue;
            }
            OnnxMl.NodeProto p = producer.get(t);
            if (p == null) {
                continue;
            }
            if (!STATISTIC_PATH.contains(p.getOpType())) {
                if (t.equals(b)) {
                    return null;
                }
                continue; // t is where the statistic starts: a data tensor computed elsewhere
            }
            if (t.equals(a)) {
                continue; // the normalised value itself: the statistic starts here
            }
            reduced |= STATISTIC.contains(p.getOpType());
            for (String in : dataInputs(p)) {
                todo.push(in);
            }
        }
        return reduced && seen.contains(a) ? seen : null;
    }

    /**
     * Gating products x * g where g ends in a sigmoid (squeeze-excitation, attention gates): the product continues x
     * (its activation extends to it), and what computes g from x is no layer.
     */
    private void findGates() {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Mul") || dataInputs(n).size() != 2 || n.getOutputCount() != 1) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                String x = n.getInput(side);
                String g = n.getInput(1 - side);
                OnnxMl.NodeProto gp = producer.get(g);
                if (gp == null || !(gp.getOpType().equals("Sigmoid") || gp.getOpType().equals("HardSigmoid"))
                        || x.equals(gp.getInput(0))) {
                    continue; // x * sigmoid(x) is silu, not a gate
                }
                Set<String> from = gateSources(g, x);
                if (from == null) {
                    continue;
                }
                gatedInput.put(n.getOutput(0), x);
                for (String t : from) {
                    interior.putIfAbsent(t, "part of the gate scaling " + x + " (in " + n.getOutput(0) + ")");
                }
                break;
            }
        }
    }

    /**
     * The tensors computing gate {@code g} back to {@code x} (at most {@link #LOCAL}); null if x is not reached or no
     * weights or pooling lie on the way (x * sigmoid(beta * x) is an activation, not a gate).
     */
    private Set<String> gateSources(String g, String x) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(g));
        boolean reachesX = false;
        boolean learned = false;
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (t.equals(x)) {
                reachesX = true;
                continue;
            }
            if (!seen.add(t)) {
                continue;
            }
            if (seen.size() > LOCAL) {
                return null;
            }
            OnnxMl.NodeProto p = producer.get(t);
            if (p != null) {
                String op = p.getOpType();
                learned |= LINEAR.contains(op) || GLOBAL_POOL.contains(op) || SPATIAL_REDUCE.contains(op);
                for (String in : dataInputs(p)) {
                    todo.push(in);
                }
            }
        }
        return reachesX && learned ? seen : null;
    }

    /** True when the class output follows from {@code t} only through pooling, reshapes and softmax. */
    private boolean leadsToOutput(String t, int depth) {
        if (t.equals(classOutput)) {
            return depth > 0;
        }
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(t, List.of());
        if (depth > 8 || cs.size() != 1 || outputs.contains(t)) {
            return false;
        }
        OnnxMl.NodeProto c = cs.get(0);
        return TO_OUTPUT_OPS.contains(c.getOpType()) && c.getOutputCount() > 0 && dataInputs(c).size() == 1
                && leadsToOutput(c.getOutput(0), depth + 1);
    }

    /** True when {@code t} reaches, through gathers, reshapes and token means, the linear head of the class output. */
    private boolean readByHead(String t) {
        String x = t;
        for (int depth = 0; depth < 8; depth++) {
            List<OnnxMl.NodeProto> cs = consumers.getOrDefault(x, List.of());
            if (cs.size() != 1 || cs.get(0).getOutputCount() == 0) {
                return false;
            }
            OnnxMl.NodeProto c = cs.get(0);
            String y = c.getOutput(0);
            if (LINEAR.contains(c.getOpType())) {
                return y.equals(classOutput) || leadsToOutput(y, 1) || biasToOutput(y);
            }
            if (!READ_OPS.contains(c.getOpType())) {
                return false;
            }
            x = y;
        }
        return false;
    }

    private boolean biasToOutput(String y) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(y, List.of());
        return cs.size() == 1 && cs.get(0).getOpType().equals("Add") && dataInputs(cs.get(0)).size() == 1
                && (cs.get(0).getOutput(0).equals(classOutput) || leadsToOutput(cs.get(0).getOutput(0), 1));
    }

    /**
     * A recurrent layer's state as the head reads it: the tensor reached from its output Y or Y_h through squeezes,
     * transposes and gathers (the last step, or the last state), a mean over the time axis, or the directions of a
     * bidirectional layer's Y_h gathered and concatenated, that a linear op reads. Sequence-first (torch's default)
     * and batch-first layouts alike: the batch axis is traced, so a mean over the batch is never taken for one.
     */
    private void recurrentState(OnnxMl.NodeProto n, Map<String, Found> found) {
        for (int k = 0; k < Math.min(2, n.getOutputCount()); k++) {
            String x = n.getOutput(k);
            if (x.isEmpty()) {
                continue;
            }
            String how = k == 0 ? "last step of the sequence output Y" : "Y_h";
            for (int depth = 0; depth < 8; depth++) {
                List<OnnxMl.NodeProto> cs = dataConsumers(x);
                if (cs.isEmpty() || cs.get(0).getOutputCount() == 0) {
                    break;
                }
                OnnxMl.NodeProto c = cs.get(0);
                if (cs.size() == 1 && LINEAR.contains(c.getOpType())) {
                    if (!x.equals(n.getOutput(k))) {
                        found.put(x, new Found(x, producer.get(x).getOpType(), kebab(n.getOpType()) + " "
                                + (how.startsWith("mean") ? how : "last hidden state (" + how + ")"),
                                n.getOpType(), n.getName(), Role.RECURRENT, null, -1));
                    }
                    break;
                }
                String next = c.getOutput(0);
                if (cs.size() == 1 && c.getOpType().equals("ReduceMean")) {
                    // a mean over the time steps: the reduced axis is not the batch, which stays first
                    if (batchAxis(next) != 0 || batchAxis(x) < 0 || reducedAxis(c, batchAxis(x)) < 0) {
                        break;
                    }
                    how = "mean over the time steps of the sequence output Y";
                } else if (cs.size() > 1 && k == 1 && bothDirections(cs) != null) {
                    next = bothDirections(cs);
                    how = "Y_h, both directions concatenated";
                } else if (cs.size() != 1 || !READ_OPS.contains(c.getOpType())) {
                    break;
                }
                x = next;
            }
        }
    }

    /**
     * For a residual Add read only by one normalisation whose output no activation extends (norm(x + f(x))): that
     * norm's output; else null.
     */
    private String postNorm(String add) {
        List<String> norms = normsOfInput.getOrDefault(add, List.of());
        if (norms.size() != 1) {
            return null;
        }
        String end = norms.get(0);
        for (OnnxMl.NodeProto c : dataConsumers(add)) {
            for (String o : c.getOutputList()) {
                if (!o.equals(end) && !interior.containsKey(o) && !normInput.containsKey(o)) {
                    return null;
                }
            }
        }
        return closure(end).activated() || anyConsumerExtends(end, closure(end).leaf()) ? null : end;
    }

    /** The consumers of a tensor that read its values (not only its shape). */
    private List<OnnxMl.NodeProto> dataConsumers(String t) {
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        for (OnnxMl.NodeProto c : consumers.getOrDefault(t, List.of())) {
            if (!DATA_FREE.contains(c.getOpType())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * For a bidirectional Y_h [directions, N, H] read as one Gather per direction on axis 0 and a Concat of them on
     * the feature axis: the Concat's output; else null.
     */
    private String bothDirections(List<OnnxMl.NodeProto> gathers) {
        OnnxMl.NodeProto concat = null;
        for (OnnxMl.NodeProto gth : gathers) {
            if (!gth.getOpType().equals("Gather") || intAttribute(gth, "axis", 0) != 0 || gth.getOutputCount() == 0) {
                return null;
            }
            List<OnnxMl.NodeProto> cs = dataConsumers(gth.getOutput(0));
            if (cs.size() != 1 || !cs.get(0).getOpType().equals("Concat") || concat != null && cs.get(0) != concat) {
                return null;
            }
            concat = cs.get(0);
        }
        if (concat == null || dataInputs(concat).size() != gathers.size() || concat.getOutputCount() == 0) {
            return null;
        }
        long axis = intAttribute(concat, "axis", 0);
        return axis == 1 || axis == -1 ? concat.getOutput(0) : null;
    }

    /**
     * How the head reads token tensors [N, T, C]: the index of the token a Gather on axis 1 takes (0 = CLS), or -1
     * for the mean over tokens (a ReduceMean over axis 1, or nothing found).
     */
    int tokenIndex() {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Gather") || n.getInputCount() < 2 || constants.contains(n.getInput(0))) {
                continue;
            }
            long axis = 0;
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("axis")) {
                    axis = a.getI();
                }
            }
            List<Long> index = int64Constant(n.getInput(1));
            // the token axis: 1 of [N, T, C], 0 of a sequence-first [T, N, C] (its batch axis traced to 1)
            int tokenAxis = batchAxis(n.getInput(0)) == 1 ? 0 : 1;
            if (axis == tokenAxis && index.size() == 1 && index.get(0) >= 0 && readByHeadThrough(n.getOutput(0))) {
                return (int) (long) index.get(0);
            }
        }
        return -1;
    }

    /** Why {@link #tokenIndex()} chose what it did. */
    String tokenReason() {
        int i = tokenIndex();
        return i >= 0 ? "the head reads token " + i + (i == 0 ? " (CLS)" : "") + " (a Gather on the token axis)"
                : "the mean over tokens (no Gather of one token before the head)";
    }

    private boolean readByHeadThrough(String t) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(t, List.of());
        return cs.size() == 1 && LINEAR.contains(cs.get(0).getOpType()) || readByHead(t);
    }

    // ---------------------------------------------------------------- element-wise closures

    private List<String> dataInputs(OnnxMl.NodeProto n) {
        List<String> d = new ArrayList<>();
        for (String in : n.getInputList()) {
            if (!in.isEmpty() && !constants.contains(in)) {
                d.add(in);
            }
        }
        return d;
    }

    /** The element-wise computation ending at {@code t} (memoised; a source is its own leaf). */
    private Closure closure(String t) {
        Closure c = closures.get(t);
        // computed in node order by the constructor; a tensor used before it is produced (a cycle, or a graph out
        // of topological order, which onnxruntime refuses anyway) counts as a source: no recursion, no overflow
        return c != null ? c : new Closure(t, List.of(), 0, 0);
    }

    private Closure computeClosure(String t) {
        Closure self = new Closure(t, List.of(), 0, 0);
        String normalised = normInput.get(t);
        if (normalised != null) {
            // a norm before the activation is part of the pre-activation; after it, it ends the block
            Closure in = closure(normalised);
            return in.activated() ? in.with(NORM_MARK + normName.get(t)) : in;
        }
        String gated = gatedInput.get(t);
        if (gated != null) {
            Closure in = closure(gated);
            return in.activated() ? in.with(GATE_MARK) : in;
        }
        OnnxMl.NodeProto p = producer.get(t);
        if (p == null || p.getOutputCount() != 1) {
            return self;
        }
        String op = p.getOpType();
        List<String> data = dataInputs(p);
        boolean firstIsData = data.size() == 1 && p.getInput(0).equals(data.get(0));
        if (NONLINEAR_UNARY.contains(op) && firstIsData) {
            return closure(data.get(0)).with(op);
        }
        if (NONLINEAR_BINARY.contains(op) || ARITHMETIC.contains(op)) {
            boolean nonlinear = NONLINEAR_BINARY.contains(op);
            if (data.size() == 1) {
                Closure in = closure(data.get(0));
                return nonlinear ? in.with(op) : in;
            }
            if (data.size() == 2) {
                Closure a = closure(data.get(0));
                Closure b = closure(data.get(1));
                if (a.leaf().equals(b.leaf())) {
                    return a.combinedWith(b, nonlinear ? op : null);
                }
            }
            return self;
        }
        if ((AFFINE.contains(op) || SHAPE.contains(op)) && firstIsData) {
            Closure in = closure(data.get(0));
            // after an activation, a batch norm or a reshape starts the next layer's input: it is not the activation
            return in.activated() ? self : in;
        }
        return self;
    }

    private static final String NORM_MARK = "norm:";
    private static final String GATE_MARK = "gate";

    /** True when some consumer of {@code t} continues the element-wise computation on {@code leaf}. */
    private boolean anyConsumerExtends(String t, String leaf) {
        for (String end : normsOfInput.getOrDefault(t, List.of())) {
            if (!end.equals(t) && closure(end).leaf().equals(leaf) && !end.equals(leaf)) {
                return true;
            }
        }
        for (OnnxMl.NodeProto n : consumers.getOrDefault(t, List.of())) {
            if (n.getOutputCount() > 0 && !SHAPE.contains(n.getOpType()) && closure(n.getOutput(0)).leaf().equals(leaf)
                    && !n.getOutput(0).equals(leaf)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code t} has consumers and every one of them applies an element-wise op to it (through a norm or
     * an affine op that passes it on, every consumer of that one).
     */
    private boolean allConsumersExtend(String t) {
        return allConsumersExtend(t, t, 0, new int[] {LOCAL});
    }

    private boolean allConsumersExtend(String t, String leaf, int depth, int[] budget) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(t, List.of());
        budget[0] -= cs.size();
        if (cs.isEmpty() || depth > 8 || budget[0] < 0) {
            return false;
        }
        for (OnnxMl.NodeProto n : cs) {
            if (n.getOutputCount() == 0 || SHAPE.contains(n.getOpType()) || n.getOutput(0).equals(t)) {
                return false;
            }
            String o = n.getOutput(0);
            Closure c = closure(o);
            if (!c.leaf().equals(leaf) || !c.activated() && !allConsumersExtend(o, leaf, depth + 1, budget)) {
                return false;
            }
        }
        return true;
    }

    /** The linear op a pre-activation comes from, through reshapes, normalisations and local pooling; or null. */
    private String linearBehind(String tensor, int depth) {
        OnnxMl.NodeProto p = producer.get(tensor);
        if (p == null || depth > 8) {
            return null;
        }
        String op = p.getOpType();
        if (LINEAR.contains(op)) {
            return op;
        }
        if (AFFINE.contains(op) || SHAPE.contains(op) || ARITHMETIC.contains(op) || LOCAL_POOL.contains(op)
                || op.equals("Pad")) {
            for (String in : dataInputs(p)) {
                String linear = linearBehind(in, depth + 1);
                if (linear != null) {
                    return linear;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- residual blocks

    /** The skip input of a residual Add (the input that is an ancestor of the other), or null. */
    private String residualSkip(OnnxMl.NodeProto add) {
        List<String> d = dataInputs(add);
        String a = d.get(0);
        String b = d.get(1);
        if (a.equals(b)) {
            return null;
        }
        Set<String> fromB = ancestors(b, a);
        if (fromB != null && fromB.contains(a)) {
            return a;
        }
        Set<String> fromA = ancestors(a, b);
        if (fromA != null && fromA.contains(b)) {
            return b;
        }
        return null;
    }

    /**
     * The tensors {@code t} is computed from back to {@code stop}, including both; only tensors produced after
     * {@code stop} in node order are searched (nothing earlier can lie between them). Null when the search would
     * visit more than {@link #MAX_BRANCH} tensors.
     */
    private Set<String> ancestors(String t, String stop) {
        int floor = order.getOrDefault(stop, -1);
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(t);
        while (!todo.isEmpty()) {
            String x = todo.pop();
            if (!seen.add(x) || x.equals(stop)) {
                continue;
            }
            if (seen.size() > MAX_BRANCH) {
                return null;
            }
            OnnxMl.NodeProto p = producer.get(x);
            if (p != null && order.getOrDefault(x, -1) > floor) {
                for (String in : dataInputs(p)) {
                    todo.push(in);
                }
            }
        }
        return seen;
    }

    /** Marks the candidates inside each residual block's branch f(x) with the block they belong to. */
    private void markBlockInteriors(Map<String, Found> found, Map<String, String> skipOf) {
        Map<String, String> activationOfAdd = new HashMap<>();
        for (Found f : found.values()) {
            if (f.role() == Role.RESIDUAL_ACTIVATION) {
                activationOfAdd.putIfAbsent(closure(f.tensor()).leaf(), f.tensor());
            }
        }
        Set<String> attention = new HashSet<>();
        for (Map.Entry<String, String> block : skipOf.entrySet()) {
            String add = block.getKey();
            String skip = block.getValue();
            OnnxMl.NodeProto addNode = producer.get(add);
            String branch = dataInputs(addNode).stream().filter(x -> !x.equals(skip)).findFirst().orElse(null);
            if (branch == null) {
                continue;
            }
            Set<String> upstream = ancestors(branch, skip);
            if (upstream == null) {
                continue;
            }
            // the block's inside: tensors between the skip source and the Add, reachable from the skip source
            Set<String> inside = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(skip));
            while (!todo.isEmpty()) {
                String x = todo.pop();
                for (OnnxMl.NodeProto n : consumers.getOrDefault(x, List.of())) {
                    for (String o : n.getOutputList()) {
                        if (upstream.contains(o) && inside.add(o)) {
                            todo.push(o);
                        }
                    }
                }
            }
            for (String t : inside) {
                OnnxMl.NodeProto p = producer.get(t);
                if (p != null && p.getOpType().equals("Softmax")) {
                    attention.add(add);
                    break;
                }
            }
            String blockOutput = activationOfAdd.getOrDefault(add, postNormOf.getOrDefault(add, add));
            for (String t : inside) {
                markInside(found, t, blockOutput);
            }
        }
        // a transformer block is an attention sub-block then an MLP sub-block: its output is the second Add
        Map<String, String> addOfNorm = new HashMap<>();
        postNormOf.forEach((add, norm) -> addOfNorm.put(norm, add));
        for (Map.Entry<String, String> block : skipOf.entrySet()) {
            String mid = block.getValue();
            String midAdd = skipOf.containsKey(mid) ? mid : addOfNorm.get(mid);
            if (midAdd != null && attention.contains(midAdd) && !attention.contains(block.getKey())) {
                markInside(found, mid, activationOfAdd.getOrDefault(block.getKey(), postNormOf.getOrDefault(
                        block.getKey(), block.getKey())));
            }
        }
    }

    private static void markInside(Map<String, Found> found, String t, String blockOutput) {
        Found f = found.get(t);
        if (f != null && f.insideBlock() == null) {
            found.put(t, new Found(f.tensor(), f.op(), f.pattern(), f.sourceOp(), f.node(), f.role(), blockOutput,
                    f.channelAxis(), f.pooledFrom()));
        }
    }

    // ---------------------------------------------------------------- pooling

    /** True when a ReduceMean/ReduceMax averages over exactly the spatial axes of a 4-D (or 3-D) feature map. */
    private boolean reducesSpace(OnnxMl.NodeProto n) {
        List<Long> axes = new ArrayList<>();
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("axes")) {
                axes.addAll(a.getIntsList());
            }
        }
        if (axes.isEmpty() && n.getInputCount() > 1) {
            axes.addAll(int64Constant(n.getInput(1)));
        }
        String in = n.getInput(0);
        Integer rank = ranks.get(in);
        int ch = axis(in);
        if (axes.isEmpty()) {
            return false;
        }
        Set<Long> set = new HashSet<>();
        for (long a : axes) {
            set.add(a < 0 && rank != null ? a + rank : a);
        }
        if (set.contains(0L)) {
            return false;
        }
        if (rank != null && rank >= 3) {
            int channel = ch >= 0 ? ch : 1;
            Set<Long> spatial = new HashSet<>();
            for (long a = 1; a < rank; a++) {
                if (a != channel) {
                    spatial.add(a);
                }
            }
            if (set.equals(spatial)) {
                return true;
            }
            // a channels-last map whose layout was not traced (tf2onnx: ReduceMean over axes 1, 2 of NHWC)
            return ch < 0 && rank == 4 && set.equals(Set.of(1L, 2L));
        }
        boolean channelsFirst = set.equals(Set.of(2L, 3L)) || set.equals(Set.of(-2L, -1L));
        boolean channelsLast = set.equals(Set.of(1L, 2L));
        // the rank is not recorded: the traced channel axis (1 after an ONNX conv) says which axes are spatial
        return ch == 1 ? channelsFirst : ch == 3 ? channelsLast : channelsFirst || channelsLast;
    }

    private List<Long> int64Constant(String name) {
        OnnxMl.TensorProto init = initializers.get(name);
        if (init != null) {
            return tensorLongs(init);
        }
        OnnxMl.NodeProto p = producer.get(name);
        if (p != null && p.getOpType().equals("Constant")) {
            for (OnnxMl.AttributeProto a : p.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    return tensorLongs(a.getT());
                }
                if (a.getName().equals("value_ints")) {
                    return a.getIntsList();
                }
            }
        }
        return List.of();
    }

    private static List<Long> tensorLongs(OnnxMl.TensorProto t) {
        if (t.getInt64DataCount() > 0) {
            return t.getInt64DataList();
        }
        List<Long> out = new ArrayList<>();
        if (t.getDataType() == OnnxMl.TensorProto.DataType.INT64.getNumber() && !t.getRawData().isEmpty()) {
            java.nio.ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 8) {
                out.add(b.getLong());
            }
        }
        return out;
    }

    /** True when the value reaches a Flatten (or a Reshape) through shape ops only: the pooled map is flattened. */
    private boolean flattenedLater(String t) {
        return flattenedLater(t, 0);
    }

    private boolean flattenedLater(String t, int depth) {
        if (depth > 8) {
            return false;
        }
        for (OnnxMl.NodeProto n : consumers.getOrDefault(t, List.of())) {
            String op = n.getOpType();
            if (op.equals("Flatten") || op.equals("Reshape")) {
                return true;
            }
            if ((op.equals("Identity") || op.equals("Transpose")) && n.getOutputCount() > 0
                    && flattenedLater(n.getOutput(0), depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static String poolPattern(String op) {
        return switch (op) {
            case "GlobalAveragePool" -> "global average pool";
            case "GlobalMaxPool" -> "global max pool";
            case "GlobalLpPool" -> "global Lp pool";
            case "ReduceMean" -> "mean over space (global average pool)";
            default -> "max over space (global max pool)";
        };
    }

    // ---------------------------------------------------------------- channel axes

    /** The channel axis of every tensor whose layout can be traced from a conv-style op (ONNX convs are NCHW). */
    private void propagateChannelAxes() {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            String op = n.getOpType();
            int in = n.getInputCount() > 0 && !n.getInput(0).isEmpty() ? axis(n.getInput(0)) : -1;
            int out = -1;
            if (op.equals("Conv") || op.equals("ConvTranspose") || LOCAL_POOL.contains(op) || GLOBAL_POOL.contains(op)
                    || op.equals("QLinearConv") || op.equals("ConvInteger")) {
                out = 1;
            } else if (op.equals("BatchNormalization") || op.equals("InstanceNormalization")) {
                out = in >= 0 ? in : 1;
            } else if (op.equals("Transpose")) {
                List<Long> perm = n.getAttributeList().stream().filter(a -> a.getName().equals("perm"))
                        .findFirst().map(OnnxMl.AttributeProto::getIntsList).orElse(List.of());
                out = in >= 0 ? perm.indexOf((long) in) : -1;
            } else if (SPATIAL_REDUCE.contains(op) || op.equals("Squeeze")) {
                out = reducedAxis(n, in);
            } else if (NONLINEAR_UNARY.contains(op) || NONLINEAR_BINARY.contains(op) || ARITHMETIC.contains(op)
                    || op.equals("Identity") || op.equals("Dropout") || op.equals("Cast") || op.equals("Neg")
                    || op.equals("Concat") || op.equals("Pad")) {
                for (String x : n.getInputList()) {
                    if (!x.isEmpty() && !constants.contains(x) && axis(x) >= 0) {
                        out = axis(x);
                        break;
                    }
                }
            }
            if (out >= 0) {
                for (String o : n.getOutputList()) {
                    channelAxis.put(o, out);
                }
            }
        }
    }

    /** The channel axis after a reduction or squeeze: the same with keepdims, shifted by the axes removed before. */
    private int reducedAxis(OnnxMl.NodeProto n, int in) {
        if (in < 0) {
            return -1;
        }
        boolean keep = n.getOpType().startsWith("Reduce");
        List<Long> axes = new ArrayList<>();
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("keepdims")) {
                keep = a.getI() != 0;
            }
            if (a.getName().equals("axes")) {
                axes.addAll(a.getIntsList());
            }
        }
        if (axes.isEmpty() && n.getInputCount() > 1) {
            axes.addAll(int64Constant(n.getInput(1)));
        }
        if (keep) {
            return in;
        }
        Integer rank = ranks.get(n.getInput(0));
        int shift = 0;
        for (long a : axes) {
            long norm = a < 0 ? (rank == null ? Long.MIN_VALUE : a + rank) : a;
            if (norm == Long.MIN_VALUE || norm == in) {
                return -1;
            }
            if (norm < in) {
                shift++;
            }
        }
        return axes.isEmpty() ? -1 : in - shift;
    }

    int axis(String t) {
        return channelAxis.getOrDefault(t, -1);
    }

    // ---------------------------------------------------------------- batch axes

    /** Ops that keep their first data input's layout (element-wise, norms over the last axes, softmax, slices). */
    private static final Set<String> SAME_LAYOUT = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu",
            "Sigmoid", "Tanh", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish", "Gelu", "Erf", "Clip", "Exp",
            "Log", "Abs", "Sqrt", "Reciprocal", "Pow", "Max", "Min", "Add", "Sub", "Mul", "Div", "Identity", "Dropout",
            "Cast", "Neg", "Softmax", "LogSoftmax", "LayerNormalization", "Slice", "Concat", "Where", "MatMul", "Gemm",
            "Conv", "BatchNormalization", "InstanceNormalization", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "Pad", "Expand");

    /**
     * The batch axis of each tensor, traced from the data input (axis 0) through the graph: a sequence-first
     * transformer ([T, N, C] after a Transpose) has it at 1, an ONNX LSTM's Y [T, directions, N, H] at 2 and Y_h
     * [directions, N, H] at 1. Unknown where a reshape merges it (multi-head attention) or an op is not modelled.
     */
    private void propagateBatchAxes() {
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
            if (!constants.contains(v.getName())) {
                batchAxis.put(v.getName(), 0);
            }
        }
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            String op = n.getOpType();
            if (n.getOutputCount() == 0 || constants.contains(n.getOutput(0))) {
                continue;
            }
            int in = -1;
            for (String x : n.getInputList()) {
                if (!x.isEmpty() && !constants.contains(x) && batchAxis(x) >= 0) {
                    in = batchAxis(x);
                    break;
                }
            }
            if (RECURRENT_OPS.contains(op)) {
                boolean batchFirst = intAttribute(n, "layout", 0) == 1;
                put(n, 0, batchFirst ? 0 : 2);
                put(n, 1, batchFirst ? 0 : 1);
                put(n, 2, batchFirst ? 0 : 1);
                continue;
            }
            if (in < 0) {
                continue;
            }
            int out = -1;
            if (SAME_LAYOUT.contains(op)) {
                out = in;
            } else if (op.equals("Transpose")) {
                out = ints(n, "perm").indexOf((long) in);
            } else if (op.equals("Reshape") || op.equals("Flatten")) {
                out = in == 0 ? 0 : -1; // a reshape that merges the batch into another axis loses it
            } else if (op.equals("Squeeze") || op.startsWith("Reduce")) {
                out = reducedAxis(n, in);
            } else if (op.equals("Unsqueeze")) {
                out = in;
                List<Long> axes = axesOf(n);
                java.util.Collections.sort(axes);
                for (long a : axes) {
                    if (a < 0) {
                        out = -1;
                        break;
                    }
                    if (a <= out) {
                        out++;
                    }
                }
            } else if (op.equals("Gather") && n.getInputCount() > 1) {
                long g = intAttribute(n, "axis", 0);
                int indexRank = constantRank(n.getInput(1));
                if (g >= 0 && g != in && indexRank >= 0) {
                    out = g < in ? in - 1 + indexRank : in;
                }
            }
            if (out >= 0) {
                put(n, 0, out);
            }
        }
    }

    private void put(OnnxMl.NodeProto n, int output, int axis) {
        if (n.getOutputCount() > output && !n.getOutput(output).isEmpty()) {
            batchAxis.put(n.getOutput(output), axis);
        }
    }

    /** The batch axis of a tensor as traced from the input; -1 when unknown (then axis 0 is assumed). */
    int batchAxis(String t) {
        return batchAxis.getOrDefault(t, -1);
    }

    private static long intAttribute(OnnxMl.NodeProto n, String name, long otherwise) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return otherwise;
    }

    private static List<Long> ints(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }

    private List<Long> axesOf(OnnxMl.NodeProto n) {
        List<Long> axes = new ArrayList<>(ints(n, "axes"));
        if (axes.isEmpty() && n.getInputCount() > 1) {
            axes.addAll(int64Constant(n.getInput(1)));
        }
        return axes;
    }

    /** The rank of a constant index (0 for a scalar), or -1 when it is not a known constant. */
    private int constantRank(String name) {
        OnnxMl.TensorProto init = initializers.get(name);
        if (init != null) {
            return init.getDimsCount();
        }
        OnnxMl.NodeProto p = producer.get(name);
        if (p != null && p.getOpType().equals("Constant")) {
            for (OnnxMl.AttributeProto a : p.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    return a.getT().getDimsCount();
                }
            }
        }
        return -1;
    }

    /** The channel axis traced for any tensor of {@code graph} (-1 when unknown): for tensors named by the user. */
    static int channelAxisOf(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes, String tensor) {
        return new LayerDiscovery(graph, recordedShapes, null).axis(tensor);
    }

    // ---------------------------------------------------------------- names

    /** The activation's name from its ops: one op is itself; known compositions are named as the exporters emit them. */
    private static String pattern(Closure c) {
        List<String> plain = new ArrayList<>();
        StringBuilder suffix = new StringBuilder();
        for (String op : c.distinct()) {
            if (op.startsWith(NORM_MARK)) {
                suffix.append(" + ").append(op.substring(NORM_MARK.length()));
            } else if (op.equals(GATE_MARK)) {
                suffix.append(" x gate (squeeze-excitation or attention)");
            } else {
                plain.add(op);
            }
        }
        if (suffix.length() == 0) {
            return plainPattern(c);
        }
        long marks = c.distinct().size() - plain.size();
        return plain.isEmpty() ? suffix.substring(3) : plainPattern(new Closure(c.leaf(), List.copyOf(plain),
                Math.max(1, c.count() - marks), c.combiners())) + suffix;
    }

    private static String plainPattern(Closure c) {
        Set<String> ops = new LinkedHashSet<>(c.distinct());
        if (c.combiners() > 0) {
            if (ops.equals(Set.of("Erf"))) {
                return "gelu (erf form)";
            }
            if (ops.contains("Tanh") && !ops.contains("Softplus") && (ops.contains("Pow") || c.combiners() >= 2)) {
                return "gelu (tanh form)";
            }
            if (ops.equals(Set.of("Sigmoid"))) {
                return "silu / swish (x * sigmoid(x))";
            }
            if (ops.equals(Set.of("HardSigmoid"))) {
                return "hard-swish (x * hardsigmoid(x))";
            }
            if (ops.equals(Set.of("Softplus", "Tanh"))) {
                return "mish (x * tanh(softplus(x)))";
            }
            if (ops.equals(Set.of("Abs")) && c.combiners() == 1) {
                return "softsign (x / (1 + |x|))";
            }
        } else if (c.count() == 1) {
            return kebab(c.distinct().get(0));
        }
        return "element-wise " + String.join(", ", c.distinct()) + (c.count() > c.distinct().size() ? " (" + c.count()
                + " ops)" : "") + (c.combiners() > 0 ? " with x" : "");
    }

    /** "LeakyRelu" -> "leaky-relu". */
    static String kebab(String op) {
        return op.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- default choice

    /**
     * Which candidates the analyses take by default, and why (one reason per candidate, same order). The rule: the
     * block outputs of the network, that is dense activations, residual block outputs and pooled features, leaving
     * out what lies inside a residual branch; when there are fewer than two of those, the conv feature maps are
     * taken too, so that a CNN's layers can still be followed.
     */
    static List<Choice> choose(List<Found> found, List<LayerKind> kinds) {
        List<Integer> features = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (kinds.get(i) != LayerKind.CONV && found.get(i).insideBlock() == null) {
                features.add(i);
            }
        }
        boolean withConv = features.size() < 2;
        Map<String, String> pooledBy = new HashMap<>();
        for (Found f : found) {
            if (f.role() == Role.GLOBAL_POOL && f.pooledFrom() != null && f.insideBlock() == null) {
                pooledBy.put(f.pooledFrom(), f.tensor());
            }
        }
        List<Choice> out = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            LayerKind k = kinds.get(i);
            if (f.insideBlock() != null) {
                out.add(new Choice(false, "inside a residual block, whose output " + f.insideBlock()
                        + " is analysed"));
            } else if (k != LayerKind.CONV) {
                out.add(new Choice(true, switch (f.role()) {
                    case NORM_FEATURES -> "the normalised features the classifier head reads";
                    case RECURRENT -> "the recurrent layer's state as the head reads it";
                    case EXTRA_OUTPUT -> "a graph output besides the class scores (an embedding)";
                    default -> switch (k) {
                        case DENSE -> "a dense layer's activation";
                        case POOLED -> "pooled features (one unit per channel)";
                        default -> "a residual block's output";
                    };
                }));
            } else if (withConv && pooledBy.containsKey(f.tensor())) {
                out.add(new Choice(false, "a conv feature map whose global pool " + pooledBy.get(f.tensor())
                        + " follows at once and is analysed instead (one unit per channel: the same values)"));
            } else if (withConv) {
                out.add(new Choice(true, "a conv feature map (one unit per channel): the network has "
                        + (features.isEmpty() ? "no" : "only one") + " dense, pooled or residual layer"));
            } else {
                out.add(new Choice(false, "a conv feature map; the dense, pooled and residual layers are analysed"
                        + " by default (name it with --tensor)"));
            }
        }
        return out;
    }

    /** Whether a candidate is analysed by default, and why. */
    record Choice(boolean analysed, String reason) {}
}
