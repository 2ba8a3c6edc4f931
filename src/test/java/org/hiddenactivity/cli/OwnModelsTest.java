package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every analysis command and the report on a researcher's own models (the GELU MLP, the BatchNorm + global average
 * pooling CNN and the residual MLP of src/test/resources/fixtures), small and fast: 200 observations, small images.
 */
class OwnModelsTest {
    @TempDir
    static Path dir;
    private static Path fixtures;

    @BeforeAll
    static void locate() throws URISyntaxException {
        fixtures = Path.of(OwnModelsTest.class.getResource("/fixtures/models").toURI());
    }

    private static HavRun hav(String model, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--model", fixtures.resolve(model).toString(), "--size", "200", "--image-size", "256",
                "--iterations", "300", "--quiet", "--json", "--cache-dir", dir.resolve("cache").toString()));
        return CliErrorsTest.hav(all.toArray(String[]::new));
    }

    private static JsonNode ok(HavRun r) throws IOException {
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void everyCommandRunsOnTheGeluMlp() throws IOException {
        String m = "gelu_mlp_op17";
        JsonNode p = ok(hav(m, "project", "--out", dir.resolve("g-project").toString()));
        assertTrue(Files.isRegularFile(Path.of(p.get("figure").asText())), p.toString());
        ok(hav(m, "layers", "--out", dir.resolve("g-layers").toString()));
        ok(hav(m, "epochs", "--out", dir.resolve("g-epochs").toString()));
        ok(hav(m, "neurons", "--label", "3", "--out", dir.resolve("g-neurons").toString()));
        ok(hav(m, "discriminative", "--out", dir.resolve("g-disc").toString()));
        Path acts = dir.resolve("g.npy");
        JsonNode a = ok(CliErrorsTest.hav("activations", "--model", fixtures.resolve(m).toString(), "--layer", "2",
                "--size", "200", "--out", acts.toString(), "--json", "--quiet", "--cache-dir",
                dir.resolve("cache").toString()));
        assertEquals("gelu (erf form)", a.get("layer").get("pattern").asText());
        assertEquals(64, Npy.readMatrix(acts).cols());
    }

    @Test
    void theReportNamesEveryLayersTensorKindAndUnits() throws IOException {
        for (String m : List.of("bn_gap_cnn", "residual_mlp")) {
            Path out = dir.resolve("report-" + m);
            JsonNode r = ok(hav(m, "report", "--out", out.toString()));
            assertTrue(Files.isRegularFile(out.resolve("index.html")), r.toString());
            JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
            JsonNode layers = report.path("provenance").path("model_setup").path("hidden_layers");
            assertTrue(layers.size() >= 2, report.path("provenance").toString());
            for (JsonNode l : layers) {
                assertTrue(l.hasNonNull("tensor") && l.hasNonNull("kind") && l.get("units").asInt() > 0, l.toString());
            }
            if (m.equals("bn_gap_cnn")) {
                assertEquals("pooled", layers.get(layers.size() - 1).get("kind").asText());
                assertEquals(8, layers.get(0).get("units").asInt()); // 8 channels, not 8 x 26 x 26
            } else {
                assertEquals("residual", layers.get(layers.size() - 1).get("kind").asText());
            }
            assertTrue(report.path("provenance").path("normalisation").asText().contains("0.1307"));
        }
    }

    @Test
    void aManifestSkeletonIsPrintedAndReadsBack() throws IOException {
        Path folder = dir.resolve("nomanifest");
        Files.createDirectories(folder);
        for (String f : List.of("epoch_000.onnx", "epoch_001.onnx")) {
            Files.copy(fixtures.resolve("norm_outside_mlp").resolve(f), folder.resolve(f));
        }
        HavRun r = CliErrorsTest.hav("inspect", folder.toString(), "--manifest");
        assertEquals(0, r.code(), r.err());
        JsonNode skeleton = new ObjectMapper().readTree(r.out());
        assertTrue(skeleton.get("dataset").isNull() && skeleton.get("normalisation").isNull(), r.out());
        assertEquals(2, skeleton.get("checkpoints").size());
        assertEquals(64, skeleton.get("checkpoints").get(1).get("sha256").asText().length());
        assertEquals("/act1/Relu_output_0", skeleton.get("hidden_layers").get(0).get("tensor").asText());
        // filled in and saved, it is a valid manifest that gives the dataset and normalisation
        String filled = r.out().replace("\"dataset\" : null", "\"dataset\" : \"mnist\"")
                .replace("\"normalisation\" : null", "\"normalisation\" : {\"mean\": [0.1307], \"std\": [0.3081]}");
        Files.writeString(folder.resolve("manifest.json"), filled);
        org.hiddenactivity.model.ModelSeries s = org.hiddenactivity.model.ModelSeries.resolve(folder.toString());
        assertEquals("mnist", s.dataset());
        assertEquals("manifest.json", s.layerSource());
        assertTrue(s.normalisation().key().contains("0.1307"), s.normalisation().toString());
    }

    @Test
    void namedTensorsAreAnalysedOnRequest() throws IOException {
        String inner = "/block1/act/Relu_output_0,/block1/Add_output_0";
        JsonNode p = ok(hav("residual_mlp", "layers", "--tensor", inner, "--out", dir.resolve("named").toString()));
        assertTrue(p.toString().contains("layer"), p.toString());
        HavRun bad = hav("residual_mlp", "project", "--tensor", "/block1/Add_output", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("did you mean /block1/Add_output_0"), bad.err());
    }
}
