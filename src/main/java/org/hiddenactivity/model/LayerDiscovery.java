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
        POOL_BEFORE_FLATTEN
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
     */
    record Found(String tensor, String op, String pattern, String sourceOp, String node, Role role,
                 String insideBlock, int channelAxis) {}

    private final OnnxMl.GraphProto graph;
    private final Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    private final Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
    private final Set<String> constants = new HashSet<>();
    private final Set<String> outputs = new HashSet<>();
    private final Map<String, Closure> closures = new HashMap<>();
    private final Map<String, Integer> channelAxis = new HashMap<>();
    private final Map<String, Integer> ranks;
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

    private LayerDiscovery(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes) {
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
        return new LayerDiscovery(graph, recordedShapes).candidates();
    }

    /** The analysis of {@code graph}, to ask several questions of (candidates, channel axes) for one linear pass. */
    static LayerDiscovery of(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes) {
        return new LayerDiscovery(graph, recordedShapes);
    }

    List<Found> candidates() {
        Map<String, Found> found = new LinkedHashMap<>();
        Map<String, String> skipOf = new HashMap<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOutputCount() == 0) {
                continue;
            }
            String out = n.getOutput(0);
            if (outputs.contains(out) || constants.contains(out)) {
                continue; // the network's output is not a hidden layer; a constant is no layer at all
            }
            String op = n.getOpType();
            if (op.equals("Add") && dataInputs(n).size() == 2 && closure(out).leaf().equals(out)) {
                String skip = residualSkip(n);
                if (skip != null) {
                    skipOf.put(out, skip);
                    if (!allConsumersExtend(out)) {
                        found.put(out, new Found(out, op, "residual add (x + f(x))", "Add", n.getName(),
                                Role.RESIDUAL_ADD, null, axis(out)));
                    }
                }
                continue;
            }
            if (GLOBAL_POOL.contains(op) || (SPATIAL_REDUCE.contains(op) && reducesSpace(n))) {
                found.put(out, new Found(out, op, poolPattern(op), op, n.getName(), Role.GLOBAL_POOL, null,
                        axis(out)));
                continue;
            }
            if (LOCAL_POOL.contains(op) && flattenedLater(out)) {
                found.put(out, new Found(out, op, kebab(op) + " before flatten", op, n.getName(),
                        Role.POOL_BEFORE_FLATTEN, null, axis(out)));
                continue;
            }
            Closure c = closure(out);
            if (!c.activated() || c.leaf().equals(out) || anyConsumerExtends(out, c.leaf())) {
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
                found.put(out, new Found(out, op, pattern, linear, n.getName(), Role.ACTIVATION, null, axis(out)));
            }
        }
        markBlockInteriors(found, skipOf);
        return List.copyOf(found.values());
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

    /** True when some consumer of {@code t} continues the element-wise computation on {@code leaf}. */
    private boolean anyConsumerExtends(String t, String leaf) {
        for (OnnxMl.NodeProto n : consumers.getOrDefault(t, List.of())) {
            if (n.getOutputCount() > 0 && !SHAPE.contains(n.getOpType()) && closure(n.getOutput(0)).leaf().equals(leaf)
                    && !n.getOutput(0).equals(leaf)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code t} has consumers and every one of them applies an element-wise op to it. */
    private boolean allConsumersExtend(String t) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(t, List.of());
        if (cs.isEmpty()) {
            return false;
        }
        for (OnnxMl.NodeProto n : cs) {
            if (n.getOutputCount() == 0 || SHAPE.contains(n.getOpType())
                    || !closure(n.getOutput(0)).leaf().equals(t) || n.getOutput(0).equals(t)) {
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
            // the interior: tensors between the skip source and the Add, reachable from the skip source
            Set<String> interior = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(skip));
            while (!todo.isEmpty()) {
                String x = todo.pop();
                for (OnnxMl.NodeProto n : consumers.getOrDefault(x, List.of())) {
                    for (String o : n.getOutputList()) {
                        if (upstream.contains(o) && interior.add(o)) {
                            todo.push(o);
                        }
                    }
                }
            }
            String blockOutput = activationOfAdd.getOrDefault(add, add);
            for (String t : interior) {
                Found f = found.get(t);
                if (f != null && f.insideBlock() == null) {
                    found.put(t, new Found(f.tensor(), f.op(), f.pattern(), f.sourceOp(), f.node(), f.role(),
                            blockOutput, f.channelAxis()));
                }
            }
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

    /** The channel axis traced for any tensor of {@code graph} (-1 when unknown): for tensors named by the user. */
    static int channelAxisOf(OnnxMl.GraphProto graph, Map<String, long[]> recordedShapes, String tensor) {
        return new LayerDiscovery(graph, recordedShapes).axis(tensor);
    }

    // ---------------------------------------------------------------- names

    /** The activation's name from its ops: one op is itself; known compositions are named as the exporters emit them. */
    private static String pattern(Closure c) {
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
        List<Choice> out = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            LayerKind k = kinds.get(i);
            if (f.insideBlock() != null) {
                out.add(new Choice(false, "inside a residual block, whose output " + f.insideBlock()
                        + " is analysed"));
            } else if (k != LayerKind.CONV) {
                out.add(new Choice(true, switch (k) {
                    case DENSE -> "a dense layer's activation";
                    case POOLED -> "pooled features (one unit per channel)";
                    default -> "a residual block's output";
                }));
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
