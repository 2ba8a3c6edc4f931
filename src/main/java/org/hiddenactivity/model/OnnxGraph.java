package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;

/**
 * A parsed ONNX model (protobuf, through Tribuo's generated {@code OnnxMl} classes): finds the hidden-layer
 * candidates and rewrites the graph so onnxruntime returns intermediate tensors as outputs.
 */
final class OnnxGraph {
    /** The largest model read: protobuf cannot hold more, and weights in external files are refused. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;
    private static final com.google.protobuf.Parser<OnnxMl.ModelProto> DISCARDING_PARSER =
            com.google.protobuf.DiscardUnknownFieldsParser.wrap(OnnxMl.ModelProto.parser());

    /**
     * The most nodes a model may have: discovery is linear in nodes and edges, but onnxruntime's session and a run
     * on zeros grow with the graph too; docs/fuzzing.md has the measured costs. Real networks have far fewer.
     */
    static final int MAX_NODES = 1_000_000;

    final Path file;
    final OnnxMl.ModelProto model;
    private LayerDiscovery discovery;
    private List<LayerDiscovery.Found> found;
    /** The class-score output discovery works with; null: the first graph output. */
    private String classOutput;
    private Map<String, long[]> shapes;

    private OnnxGraph(Path file, OnnxMl.ModelProto model) {
        this.file = file;
        this.model = model;
    }

    /** Checks, without reading it, that {@code file} is a regular file an ONNX model can be (no FIFO, no device). */
    static void checkFile(Path file) {
        InputFiles.requireSize(file, "an ONNX model", MAX_BYTES, "protobuf holds at most 2 GiB");
    }

    /** Reads and parses a model; clear errors for a missing, special, oversized, truncated or non-ONNX file. */
    static OnnxGraph read(Path file) {
        return parse(file, InputFiles.readAll(file, "an ONNX model", MAX_BYTES, "protobuf holds at most 2 GiB; weights in external files are refused"));
    }

    static OnnxGraph parse(Path file, byte[] bytes) {
        String fix = "expected an ONNX model (torch.onnx.export or tf2onnx); if it was copied, copy it again";
        OnnxMl.ModelProto model;
        try {
            // fields this ONNX schema does not know are dropped, so the model onnxruntime runs is the one checked here
            model = DISCARDING_PARSER.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new HavException(file.toString(), "not a readable ONNX model (" + e.getMessage()
                    + "); the file is truncated or is not ONNX", fix);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() == 0) {
            throw new HavException(file.toString(), "no ONNX graph in this file (" + bytes.length + " bytes)", fix);
        }
        if (model.getGraph().getNodeCount() > MAX_NODES) {
            throw new HavException(file.toString(), "the graph has " + model.getGraph().getNodeCount() + " nodes,"
                    + " more than the " + MAX_NODES + " hav analyses", "simplify the exported graph (onnx-simplifier,"
                    + " or export without unrolled loops); docs/fuzzing.md gives the costs by graph size");
        }
        String external = ExternalData.find(model);
        if (external != null) {
            throw new HavException(file.toString(), "tensor " + external + " points to data outside the model"
                    + " (data_location EXTERNAL)", "re-export with every tensor inside the .onnx file (onnx.save"
                    + " without save_as_external_data); hav never reads files a model points to");
        }
        return new OnnxGraph(file, model);
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
        if (this.shapes == null) {
            this.shapes = Map.copyOf(readShapes());
        }
        return this.shapes;
    }

    private Map<String, long[]> readShapes() {
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

    /** The hidden-layer candidates of the graph (see {@link LayerDiscovery}). */
    List<LayerDiscovery.Found> candidates() {
        if (found == null) {
            found = discovery().candidates();
        }
        return found;
    }

    private LayerDiscovery discovery() {
        if (discovery == null) {
            discovery = LayerDiscovery.of(graph(), recordedShapes(), classOutput());
        }
        return discovery;
    }

    /** The class-score output discovery works with ({@link ClassOutput}): the first graph output unless set. */
    String classOutput() {
        return classOutput != null ? classOutput : finalOutput();
    }

    /** Sets the class-score output (a graph output or any tensor named in the manifest); discovery is redone. */
    void useClassOutput(String tensor) {
        if (!java.util.Objects.equals(tensor, classOutput())) {
            classOutput = tensor;
            discovery = null;
            found = null;
        }
    }

    /** How the head reads token tensors: a token's index (0 = CLS), or -1 for the mean over tokens. */
    int tokenIndex() {
        return discovery().tokenIndex();
    }

    /** Why {@link #tokenIndex()} is what it is, for inspect. */
    String tokenReason() {
        return discovery().tokenReason();
    }

    /** Tensors that look like layers but are not candidates, and why (norm internals, gates, logits). */
    List<ExcludedTensor> excluded() {
        candidates();
        return discovery().excluded();
    }

    /** The batch axis of any tensor as traced from the input (-1 when unknown: then 0 is assumed). */
    int batchAxis(String tensor) {
        return discovery().batchAxis(tensor);
    }

    /** The traced channel axis of any tensor (-1 when unknown). */
    int channelAxis(String tensor) {
        return discovery().axis(tensor);
    }

    /** The error for a tensor whose name onnxruntime cannot take (its C API ends a name at the first NUL). */
    HavException nulName(String tensor) {
        return new HavException(file.toString(), "tensor '" + org.hiddenactivity.core.TerminalText.safe(tensor)
                + "' has a NUL character in its name, which onnxruntime cannot return", "rename the tensor in the"
                + " model (onnx: rename the node output and its uses) or analyse another tensor with --tensor");
    }

    /** The model's bytes with {@code tensors} added as graph outputs (those already outputs are not repeated). */
    byte[] withOutputs(List<String> tensors) {
        Set<String> present = new HashSet<>();
        for (OnnxMl.ValueInfoProto v : graph().getOutputList()) {
            present.add(v.getName());
        }
        Set<String> produced = producedTensors();
        for (OnnxMl.ValueInfoProto v : graph().getInputList()) {
            produced.add(v.getName());
        }
        OnnxMl.ModelProto.Builder b = model.toBuilder();
        for (String t : tensors) {
            if (t.indexOf('\0') >= 0) {
                throw nulName(t);
            }
            if (!produced.contains(t)) {
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
