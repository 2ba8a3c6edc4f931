package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.cli.HavRun;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.model.TestModels;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Degrade, don't die: a model with one hidden layer and a series with one checkpoint get a report that leaves out
 * what cannot be computed and says why; the commands that need two layers or two checkpoints give a clear error.
 * The models are small random MLPs on MNIST's 784 pixels built with the onnx protobuf classes.
 */
class DegradeTest {
    static final int SIZE = 150;
    static final int IMAGE = 256;

    @TempDir
    Path tmp;

    /** torch-style MLP 784 -> widths... (Gemm + Relu each) -> 10, random weights. */
    static byte[] mlp(long seed, int... widths) {
        TestModels.Builder b = new TestModels.Builder(seed).input("input", "batch", 784L).output("logits", "batch", 10L);
        String x = "input";
        int in = 784;
        for (int k = 0; k < widths.length; k++) {
            // weights scaled down by sqrt(fan in) so that activations stay of order 1
            float[] w = b.weights("fc" + k + ".weight", widths[k], in);
            for (int i = 0; i < w.length; i++) {
                w[i] /= (float) Math.sqrt(in);
            }
            b.constant("fc" + k + ".w", w, widths[k], in);
            b.weights("fc" + k + ".bias", widths[k]);
            b.node("Gemm", "/fc" + k + "/Gemm", List.of(x, "fc" + k + ".w", "fc" + k + ".bias"),
                    List.of("/fc" + k + "/Gemm_output_0"), transB());
            String h = "/relu" + k + "/Relu_output_0";
            b.node("Relu", "/relu" + k + "/Relu", List.of("/fc" + k + "/Gemm_output_0"), List.of(h));
            x = h;
            in = widths[k];
        }
        b.weights("out.weight", 10, in);
        b.weights("out.bias", 10);
        b.node("Gemm", "/out/Gemm", List.of(x, "out.weight", "out.bias"), List.of("logits"), transB());
        return b.bytes();
    }

    static OnnxMl.AttributeProto transB() {
        return OnnxMl.AttributeProto.newBuilder().setName("transB").setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(1).build();
    }

    /** A folder of checkpoints epoch_000.onnx, epoch_001.onnx, ... of the same architecture. */
    Path series(String name, int checkpoints, int... widths) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        for (int e = 0; e < checkpoints; e++) {
            Files.write(dir.resolve(String.format("epoch_%03d.onnx", e * 5)), mlp(17 + e, widths));
        }
        return dir;
    }

    AnalysisOptions options(Path model) {
        return new AnalysisOptions(model.toString(), "mnist", null, SIZE, 0, null, "cpu", 0, false, true, IMAGE,
                TsneParameters.defaults().withMaxIter(300), true, 0.1, tmp.resolve("cache"));
    }

    ReportBuilder.Written report(AnalysisContext ctx) {
        return ReportBuilder.run(ctx, new ReportBuilder.Plan(Alignment.CHAINED, Alignment.JOINT, null, null,
                NeuronAnalysis.Layout.TSNE, ReportBuilder.ProjectorTensors.LAST), tmp.resolve("report-" + ctx.model().name()));
    }

    @Test
    void oneHiddenLayerLeavesOutTheInterLayerSectionAndSaysWhy() throws Exception {
        Path model = series("one_layer", 2, 24);
        try (AnalysisContext ctx = AnalysisContext.open(options(model))) {
            assertEquals(1, ctx.layerCount());
            HavException e = assertThrows(HavException.class,
                    () -> Evolution.layers(ctx, ctx.model().lastEpoch(), Alignment.CHAINED));
            assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("model one_layer") && e.getMessage().contains("one hidden layer")
                    && e.getMessage().contains("hav project --layer 1"), e.getMessage());
            assertFalse(e.getMessage().contains("bundling"), e.getMessage());

            ReportBuilder.Written w = report(ctx);
            assertEquals(List.of("layers"), new ArrayList<>(w.omitted().keySet()));
            JsonNode json = new ObjectMapper().readTree(w.json().toFile());
            assertTrue(json.at("/omitted/layers").asText().contains("one hidden layer"));
            assertTrue(json.at("/results/layers").isNull());
            assertEquals(2, json.at("/results/epochs/steps").size());
            String html = Files.readString(w.index());
            assertTrue(html.contains("class=\"omitted-reason\">Left out: the model has one hidden layer"), "reason missing");
            assertTrue(html.contains("/relu0/Relu_output_0"), "the layer's tensor is not named");
            String data = Files.readString(w.index().resolveSibling("explorer/data.js"));
            assertTrue(data.contains("\"id\":\"epochs\"") && !data.contains("\"id\":\"layers\""));
        }
    }

    @Test
    void oneCheckpointLeavesOutTheEpochAndBeforeAfterSectionsAndShowsOneNeuronMap() throws Exception {
        Path model = series("one_checkpoint", 1, 24, 20);
        try (AnalysisContext ctx = AnalysisContext.open(options(model))) {
            HavException e = assertThrows(HavException.class,
                    () -> Evolution.epochs(ctx, 1, List.of(0), Alignment.JOINT));
            assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("one checkpoint") && e.getMessage().contains("one_checkpoint"), e.getMessage());

            // the neuron commands: one panel, labelled as the only checkpoint
            NeuronAnalysis.ProjectionResult p = NeuronAnalysis.projection(ctx, 2, 1, NeuronAnalysis.Layout.MDS);
            assertNull(p.before());
            assertTrue(p.numbers().get("comparison").toString().contains("one checkpoint"));
            try (Mat m = opencv_imgcodecs.imread(org.hiddenactivity.analysis.Outputs.write(ctx,
                    new NeuronAnalysis.Projections(List.of(p)), tmp.resolve("n")).figure("figure").image().toString())) {
                assertTrue(m.cols() >= IMAGE && m.cols() < 2 * IMAGE, "one panel expected, width " + m.cols());
            }
            NeuronAnalysis.DiscriminativeResult d = NeuronAnalysis.discriminative(ctx, 2);
            assertNull(d.importanceBefore());

            ReportBuilder.Written w = report(ctx);
            assertEquals(List.of("epochs", "before_after"), new ArrayList<>(w.omitted().keySet()));
            JsonNode json = new ObjectMapper().readTree(w.json().toFile());
            assertTrue(json.at("/results/epochs").isNull());
            assertTrue(json.at("/results/discriminative/before").isNull());
            assertTrue(json.at("/omitted/before_after").asText().contains("one checkpoint"));
            String html = Files.readString(w.index());
            assertTrue(html.contains("Left out: the series has one checkpoint (epoch 0)"), "reason missing");
            // no finding about a change over training
            for (JsonNode f : json.at("/results/findings")) {
                assertFalse(f.get("id").asText().endsWith("with_training"), f.toString());
            }
            String data = Files.readString(w.index().resolveSibling("explorer/data.js"));
            assertTrue(data.contains("\"id\":\"layers\"") && !data.contains("\"id\":\"epochs\""));
        }
    }

    @Test
    void oneLayerAndOneCheckpointStillGetAReport() throws Exception {
        Path model = series("tiny", 1, 24);
        try (AnalysisContext ctx = AnalysisContext.open(options(model))) {
            // a warning of the run (as the model stage gives when no normalisation is known) tops the page and the JSON
            org.hiddenactivity.core.Warnings.warn("test warning: no normalisation given, pixels enter as [0, 1]");
            ReportBuilder.Written w = report(ctx);
            assertEquals(List.of("layers", "epochs", "before_after"), new ArrayList<>(w.omitted().keySet()));
            String html = Files.readString(w.index());
            int warnings = html.indexOf("id=\"warnings\"");
            assertTrue(warnings > 0 && warnings < html.indexOf("id=\"summary\""), "warnings not at the top");
            assertTrue(html.contains("test warning: no normalisation given, pixels enter as [0, 1]"));
            JsonNode json = new ObjectMapper().readTree(w.json().toFile());
            boolean found = false;
            for (JsonNode m : json.at("/warnings")) {
                found |= m.asText().contains("test warning: no normalisation given");
            }
            assertTrue(found, json.at("/warnings").toString());
            String data = Files.readString(w.index().resolveSibling("explorer/data.js"));
            assertTrue(data.contains("\"id\":\"projection\""), "the explorer needs one observation view");
        }
    }

    @Test
    void theCommandLineSaysWhatToDoInsteadOfABundlingMessage() throws Exception {
        Path one = series("one_layer_cli", 2, 24);
        HavRun layers = hav("layers", "--model", one.toString(), "--dataset", "mnist", "--size", "100", "--out",
                tmp.resolve("cli-layers").toString(), "--quiet");
        assertEquals(2, layers.code(), layers.err());
        assertTrue(layers.err().contains("one_layer_cli") && layers.err().contains("one hidden layer"), layers.err());
        assertFalse(layers.err().contains("bundling") || layers.err().contains("Exception"), layers.err());
        Path single = series("one_checkpoint_cli", 1, 24, 20);
        HavRun epochs = hav("epochs", "--model", single.toString(), "--dataset", "mnist", "--size", "100", "--out",
                tmp.resolve("cli-epochs").toString(), "--quiet");
        assertEquals(2, epochs.code(), epochs.err());
        assertTrue(epochs.err().contains("one checkpoint"), epochs.err());
    }


    static HavRun hav(String... args) {
        return HavRun.of(args);
    }
}
