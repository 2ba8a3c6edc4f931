package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hiddenactivity.core.HavException;

/**
 * A parsed ONNX model (protobuf, through Tribuo's generated {@code OnnxMl} classes): finds the hidden-layer
 * candidates and rewrites the graph so onnxruntime returns intermediate tensors as outputs.
 */
final class OnnxGraph {
    /** Element-wise activations that make a hidden layer when they follow a linear op. */
    static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Gelu", "Elu",
            "Selu", "Celu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish", "ThresholdedRelu", "Clip");
    static final Set<String> LINEAR = Set.of("Gemm", "MatMul", "Conv");
    /** Ops allowed between the linear op and the activation (bias, batch norm, reshapes, dropout). */
    static final Set<String> PASS_THROUGH = Set.of("Add", "BatchNormalization", "Reshape", "Flatten", "Identity",
            "Dropout", "Transpose", "Squeeze", "Unsqueeze", "Mul");
    private static final int MAX_WALK = 6;

    final Path file;
    final OnnxMl.ModelProto model;
    final byte[] bytes;

    private OnnxGraph(Path file, OnnxMl.ModelProto model, byte[] bytes) {
        this.file = file;
        this.model = model;
        this.bytes = bytes;
    }

    /** Reads and parses a model; clear errors for a missing, truncated or non-ONNX file. */
    static OnnxGraph read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new HavException(file.toString(), "file not found", "check the path");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the permissions",
                    HavException.EXIT_BAD_INPUT, e);
        }
        return parse(file, bytes);
    }

    static OnnxGraph parse(Path file, byte[] bytes) {
        String fix = "expected an ONNX model (torch.onnx.export or tf2onnx); if it was copied, copy it again";
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new HavException(file.toString(), "not a readable ONNX model (" + e.getMessage()
                    + "); the file is truncated or is not ONNX", fix);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() == 0) {
            throw new HavException(file.toString(), "no ONNX graph in this file (" + bytes.length + " bytes)", fix);
        }
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                throw new HavException(file.toString(), "weights are stored in external data files",
                        "re-export with the weights inside the .onnx file (onnx.save without save_as_external_data)");
            }
        }
        return new OnnxGraph(file, model, bytes);
    }

    OnnxMl.GraphProto graph() {
        return model.getGraph();
    }

    Set<String> initializerNames() {
        Set<String> names = new HashSet<>();
        for (OnnxMl.TensorProto t : graph().getInitializerList()) {
            names.add(t.getName());
        }
        return names;
    }

    /** The one graph input that is not an initializer (older exporters list weights as inputs too). */
    OnnxMl.ValueInfoProto dataInput() {
        Set<String> init = initializerNames();
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : graph().getInputList()) {
            if (!init.contains(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw new HavException(file.toString(), "the model has " + inputs.size() + " data inputs "
                    + inputs.stream().map(OnnxMl.ValueInfoProto::getName).toList() + ", expected one image input",
                    "export the network with a single input tensor");
        }
        return inputs.get(0);
    }

    /** The final output (the first graph output): its argmax is the predicted class. */
    String finalOutput() {
        if (graph().getOutputCount() == 0) {
            throw new HavException(file.toString(), "the graph has no outputs", "export the model with its output");
        }
        return graph().getOutput(0).getName();
    }

    /** Dimensions of a value: the fixed size, or -1 for a named (dynamic) or missing dimension; null if unknown. */
    static long[] dims(OnnxMl.ValueInfoProto v) {
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        List<OnnxMl.TensorShapeProto.Dimension> list = v.getType().getTensorType().getShape().getDimList();
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).hasDimValue() && list.get(i).getDimValue() > 0 ? list.get(i).getDimValue() : -1;
        }
        return out;
    }

    /** Shapes recorded in the model (value_info, outputs), by tensor name. */
    Map<String, long[]> recordedShapes() {
        Map<String, long[]> shapes = new HashMap<>();
        for (OnnxMl.ValueInfoProto v : graph().getValueInfoList()) {
            long[] d = dims(v);
            if (d != null) {
                shapes.put(v.getName(), d);
            }
        }
        for (OnnxMl.ValueInfoProto v : graph().getOutputList()) {
            long[] d = dims(v);
            if (d != null) {
                shapes.put(v.getName(), d);
            }
        }
        return shapes;
    }

    /** Every tensor some node produces. */
    Set<String> producedTensors() {
        Set<String> names = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : graph().getNodeList()) {
            names.addAll(n.getOutputList());
        }
        return names;
    }

    /** A hidden-layer candidate found by {@link #candidates()}, before shapes are known. */
    record Found(String tensor, String op, String linearOp, String nodeName) {
        boolean dense() {
            return !linearOp.equals("Conv");
        }
    }

    /**
     * Outputs of activation nodes that follow a Gemm/MatMul/Conv (possibly through bias Adds, batch norms,
     * reshapes), in the graph's node order (ONNX requires it topological). An activation that is itself a graph
     * output is the output layer, not a hidden one.
     */
    List<Found> candidates() {
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto n : graph().getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        Set<String> outputs = new HashSet<>();
        for (OnnxMl.ValueInfoProto v : graph().getOutputList()) {
            outputs.add(v.getName());
        }
        List<Found> found = new ArrayList<>();
        for (OnnxMl.NodeProto n : graph().getNodeList()) {
            if (!ACTIVATIONS.contains(n.getOpType()) || n.getInputCount() == 0 || n.getOutputCount() == 0) {
                continue;
            }
            String out = n.getOutput(0);
            if (outputs.contains(out)) {
                continue;
            }
            String linear = linearBefore(n.getInput(0), producer, 0);
            if (linear != null) {
                found.add(new Found(out, n.getOpType(), linear, n.getName()));
            }
        }
        return found;
    }

    private static String linearBefore(String tensor, Map<String, OnnxMl.NodeProto> producer, int depth) {
        OnnxMl.NodeProto p = producer.get(tensor);
        if (p == null || depth > MAX_WALK) {
            return null;
        }
        if (LINEAR.contains(p.getOpType())) {
            return p.getOpType();
        }
        if (!PASS_THROUGH.contains(p.getOpType())) {
            return null;
        }
        // follow data inputs only (a bias or a shape is an initializer or a constant, with no linear op behind it)
        for (String in : p.getInputList()) {
            String linear = linearBefore(in, producer, depth + 1);
            if (linear != null) {
                return linear;
            }
        }
        return null;
    }

    /** The model's bytes with {@code tensors} added as graph outputs (those already outputs are not repeated). */
    byte[] withOutputs(List<String> tensors) {
        Set<String> present = new HashSet<>();
        for (OnnxMl.ValueInfoProto v : graph().getOutputList()) {
            present.add(v.getName());
        }
        Set<String> produced = producedTensors();
        OnnxMl.ModelProto.Builder b = model.toBuilder();
        for (String t : tensors) {
            if (!produced.contains(t) && !graph().getInputList().stream().anyMatch(v -> v.getName().equals(t))) {
                throw new HavException(file.toString(), "no tensor named '" + t + "' in the graph",
                        "run 'hav inspect " + file + "' to list the hidden-layer candidates");
            }
            if (present.add(t)) {
                b.getGraphBuilder().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(t).build());
            }
        }
        return b.build().toByteArray();
    }
}
