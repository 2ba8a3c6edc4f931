package org.hiddenactivity.model;

import ai.onnx.proto.OnnxMl;

/**
 * Finds tensors whose data lives outside the model file. onnxruntime resolves such a location relative to the
 * process's working folder when a model is loaded from bytes, so a hostile model could read any file it names
 * ({@code .ssh/id_rsa}) into its activations: every tensor is checked, in initializers, Constant and other node
 * attributes, sparse tensors, subgraphs of If / Loop / Scan, and model-local functions.
 */
final class ExternalData {
    private ExternalData() {}

    /** The name (or position) of the first tensor with external data, or null when there is none. */
    static String find(OnnxMl.ModelProto model) {
        String inGraph = inGraph(model.getGraph(), "graph");
        if (inGraph != null) {
            return inGraph;
        }
        for (OnnxMl.FunctionProto f : model.getFunctionsList()) {
            for (OnnxMl.NodeProto n : f.getNodeList()) {
                String inNode = inNode(n, "function " + f.getName());
                if (inNode != null) {
                    return inNode;
                }
            }
        }
        return null;
    }

    private static String inGraph(OnnxMl.GraphProto g, String where) {
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (external(t)) {
                return describe(t, where + " initializer");
            }
        }
        for (OnnxMl.SparseTensorProto s : g.getSparseInitializerList()) {
            String sparse = inSparse(s, where + " sparse initializer");
            if (sparse != null) {
                return sparse;
            }
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            String inNode = inNode(n, where);
            if (inNode != null) {
                return inNode;
            }
        }
        return null;
    }

    private static String inNode(OnnxMl.NodeProto n, String where) {
        String node = where + " node '" + n.getName() + "' (" + n.getOpType() + ")";
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            String attr = node + " attribute " + a.getName();
            if (a.hasT() && external(a.getT())) {
                return describe(a.getT(), attr);
            }
            for (OnnxMl.TensorProto t : a.getTensorsList()) {
                if (external(t)) {
                    return describe(t, attr);
                }
            }
            if (a.hasSparseTensor()) {
                String s = inSparse(a.getSparseTensor(), attr);
                if (s != null) {
                    return s;
                }
            }
            for (OnnxMl.SparseTensorProto st : a.getSparseTensorsList()) {
                String s = inSparse(st, attr);
                if (s != null) {
                    return s;
                }
            }
            if (a.hasG()) {
                String s = inGraph(a.getG(), attr + " subgraph");
                if (s != null) {
                    return s;
                }
            }
            for (OnnxMl.GraphProto g : a.getGraphsList()) {
                String s = inGraph(g, attr + " subgraph");
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    private static String inSparse(OnnxMl.SparseTensorProto s, String where) {
        if (external(s.getValues())) {
            return describe(s.getValues(), where + " values");
        }
        if (external(s.getIndices())) {
            return describe(s.getIndices(), where + " indices");
        }
        return null;
    }

    private static boolean external(OnnxMl.TensorProto t) {
        return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0;
    }

    private static String describe(OnnxMl.TensorProto t, String where) {
        String location = t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                .map(OnnxMl.StringStringEntryProto::getValue).findFirst().orElse("?");
        return "'" + t.getName() + "' (" + where + ", location '" + location + "')";
    }
}
