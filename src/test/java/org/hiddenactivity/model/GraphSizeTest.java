package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

/**
 * Graph analysis must be linear in nodes and edges: generated chains and wide graphs far larger than any network
 * (docs/fuzzing.md has the measured table; {@link #main} prints it). A 100,000-node Relu chain once took 8.6 GB.
 */
class GraphSizeTest {
    /** A dense layer then {@code relus} Relu nodes in a chain: one candidate, the last Relu. */
    static OnnxMl.ModelProto chain(int relus) {
        OnnxMl.GraphProto.Builder g = start();
        String x = "h";
        for (int i = 0; i < relus; i++) {
            String y = "r" + i;
            g.addNode(node("Relu", x, y));
            x = y;
        }
        return head(g, x);
    }

    /**
     * A dense layer read by {@code branches} parallel Relu-Tanh pairs, summed by a chain of Adds: every Add of two
     * functions of the same tensor; the last one is the only candidate.
     */
    static OnnxMl.ModelProto wide(int branches) {
        OnnxMl.GraphProto.Builder g = start();
        String acc = null;
        for (int i = 0; i < branches; i++) {
            g.addNode(node("Relu", "h", "r" + i));
            g.addNode(node("Tanh", "r" + i, "t" + i));
            if (acc == null) {
                acc = "t" + i;
            } else {
                g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput(acc).addInput("t" + i)
                        .addOutput("s" + i));
                acc = "s" + i;
            }
        }
        return head(g, acc);
    }

    private static OnnxMl.GraphProto.Builder start() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("size");
        g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x"));
        g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(4).addDims(4)
                .addAllFloatData(List.of(1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 1f)));
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("w").addOutput("h"));
        return g;
    }

    /** A dense head reading {@code x}: the graph's output. */
    private static OnnxMl.ModelProto head(OnnxMl.GraphProto.Builder g, String x) {
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput(x).addInput("w").addOutput("out"));
        g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("out"));
        return model(g);
    }

    private static OnnxMl.NodeProto node(String op, String in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).addInput(in).addOutput(out).build();
    }

    private static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder g) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder()
                .setVersion(13)).setGraph(g).build();
    }

    private static List<LayerDiscovery.Found> discover(OnnxMl.ModelProto m) {
        return OnnxGraph.parse(Path.of("generated.onnx"), m.toByteArray()).candidates();
    }

    @Test
    void aLongReluChainIsOneCandidateFoundInLinearTime() {
        List<LayerDiscovery.Found> found = discover(chain(200_000));
        assertEquals(1, found.size(), found.toString());
        assertEquals("r199999", found.get(0).tensor());
        assertTrue(found.get(0).pattern().contains("Relu"), found.get(0).pattern());
    }

    @Test
    void aWideGraphOfSelfCombiningBranchesStaysSmall() {
        // each Add combines two functions of h: a closure keeping every op doubled in size per Add before
        OnnxMl.GraphProto.Builder g = start();
        String x = "h";
        for (int i = 0; i < 200; i++) {
            g.addNode(node("Relu", x, "r" + i));
            g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("r" + i).addInput("r" + i)
                    .addOutput("a" + i));
            x = "a" + i;
        }
        List<LayerDiscovery.Found> found = discover(head(g, x));
        assertEquals(List.of("a199"), found.stream().map(LayerDiscovery.Found::tensor).toList());
        List<LayerDiscovery.Found> wide = discover(wide(100_000));
        assertEquals(List.of("s99999"), wide.stream().map(LayerDiscovery.Found::tensor).toList());
    }

    @Test
    void aGraphAboveTheNodeLimitIsRefusedNamingTheFile() {
        OnnxMl.ModelProto m = chain(OnnxGraph.MAX_NODES - 1);
        HavException e = assertThrows(HavException.class, () -> OnnxGraph.parse(Path.of("huge_graph.onnx"),
                m.toByteArray()));
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("huge_graph.onnx") && e.getMessage().contains("1000001 nodes"),
                e.getMessage());
    }

    /** Prints the graph-size table of docs/fuzzing.md: nodes, parse + discovery time, heap after. */
    public static void main(String[] args) {
        Runtime rt = Runtime.getRuntime();
        List<String> rows = new ArrayList<>();
        for (String kind : List.of("chain", "wide")) {
            for (int n : new int[] {1_000, 10_000, 100_000, 999_000}) {
                OnnxMl.ModelProto m = kind.equals("chain") ? chain(n) : wide(n / 3 + 1);
                byte[] bytes = m.toByteArray();
                m = null;
                System.gc();
                long before = rt.totalMemory() - rt.freeMemory();
                long t0 = System.nanoTime();
                OnnxGraph g = OnnxGraph.parse(Path.of(kind + ".onnx"), bytes);
                int found = g.candidates().size();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long used = rt.totalMemory() - rt.freeMemory() - before;
                rows.add(String.format("| %s | %,d | %.1f MB | %,d ms | %,d MB | %d |", kind,
                        g.graph().getNodeCount(), bytes.length / 1e6, ms, used >> 20, found));
            }
        }
        rows.forEach(System.out::println);
    }
}
