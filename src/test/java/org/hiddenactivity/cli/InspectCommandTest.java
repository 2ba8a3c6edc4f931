package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hav inspect on the issue-17 fixtures: --all, --manifest --out, tokens, what discovery would choose. */
class InspectCommandTest {
    @TempDir
    Path dir;
    private static Path modern;

    @BeforeAll
    static void load() throws URISyntaxException {
        modern = Path.of(InspectCommandTest.class.getResource("/fixtures/modern").toURI());
    }

    private Path copy(String fixture) throws IOException {
        Path folder = dir.resolve(fixture);
        Files.createDirectories(folder);
        Files.copy(modern.resolve(fixture).resolve("epoch_000.onnx"), folder.resolve("epoch_000.onnx"));
        return folder;
    }

    @Test
    void allListsEveryTensorWithWhyAndTheLayerNormInternalsAreNoCandidates() throws IOException {
        HavRun r = HavRun.of("inspect", modern.resolve("ln_gelu_mlp_op14/epoch_000.onnx").toString(), "--all",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode out = new ObjectMapper().readTree(r.out());
        JsonNode pow = null;
        for (JsonNode t : out.get("tensors")) {
            if (t.get("tensor").asText().equals("/ln1/Pow_output_0")) {
                pow = t;
            }
        }
        assertTrue(pow != null && pow.get("status").asText().contains("inside the layer norm"), String.valueOf(pow));
        assertEquals("[\"/act1/Mul_1_output_0\",\"/act2/Mul_1_output_0\"]", out.get("discovery_default").toString());
        HavRun text = HavRun.of("inspect", modern.resolve("ln_gelu_mlp_op14/epoch_000.onnx").toString(), "--all");
        assertTrue(text.out().contains("every tensor") && text.out().contains("/ln1/Sqrt_output_0"), text.out());
    }

    @Test
    void tokensAndLogitsAreExplained() {
        HavRun vit = HavRun.of("inspect", modern.resolve("vit_cls_op17/epoch_000.onnx").toString());
        assertEquals(0, vit.code(), vit.err());
        assertTrue(vit.out().contains("token 0 (CLS)"), vit.out());
        HavRun conv = HavRun.of("inspect", modern.resolve("allconv_op17/epoch_000.onnx").toString());
        assertTrue(conv.out().contains("not hidden: /gap/GlobalAveragePool_output_0 is the logits"), conv.out());
    }

    @Test
    void theManifestSkeletonIsWrittenAtomicallyAndNeverOverAnExistingFile() throws IOException {
        Path folder = copy("two_outputs_op17");
        Path m = folder.resolve("manifest.json");
        HavRun r = HavRun.of("inspect", folder.toString(), "--manifest", "--out", m.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode skeleton = new ObjectMapper().readTree(m.toFile());
        assertEquals(1, skeleton.get("checkpoints").size());
        // a filled-in manifest is never lost
        String filled = Files.readString(m).replace("\"dataset\" : null", "\"dataset\" : \"mine\"");
        Files.writeString(m, filled);
        HavRun again = HavRun.of("inspect", folder.toString(), "--manifest", "--out", m.toString());
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        assertEquals(filled, Files.readString(m));
        assertEquals(0, HavRun.of("inspect", folder.toString(), "--manifest", "--out", m.toString(), "--force")
                .code());
        assertTrue(Files.readString(m).contains("\"checkpoints\""));
        try (var s = Files.list(folder)) {
            assertEquals(2, s.count(), "no temporary file left");
        }
    }

    @Test
    void withAManifestInspectStillSaysWhatDiscoveryWouldChoose() throws IOException {
        Path folder = copy("gelu_ln_mlp_op14");
        Files.writeString(folder.resolve("manifest.json"), "{\"dataset\": \"mine\", \"hidden_layers\": [{\"tensor\":"
                + " \"/act1/Mul_1_output_0\"}], \"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\"}]}");
        HavRun r = HavRun.of("inspect", folder.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("discovery would choose: /ln1/Add_1_output_0, /ln2/Add_1_output_0"), r.out());
    }

    @Test
    void controlCharactersInNamesNeverReachTheTerminalRaw() throws IOException {
        byte[] bytes = Files.readAllBytes(modern.resolve("two_outputs_op17/epoch_000.onnx"));
        String hostile = "/act1/Relu\u001b[2J\u001b]0;x\u0007\r\nout";
        ai.onnx.proto.OnnxMl.ModelProto.Builder b = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes).toBuilder();
        for (ai.onnx.proto.OnnxMl.NodeProto.Builder n : b.getGraphBuilder().getNodeBuilderList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals("/act1/Relu_output_0")) {
                    n.setInput(i, hostile);
                }
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals("/act1/Relu_output_0")) {
                    n.setOutput(i, hostile);
                }
            }
        }
        Path f = dir.resolve("hostile.onnx");
        Files.write(f, b.build().toByteArray());
        HavRun r = HavRun.of("inspect", f.toString(), "--all");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("/act1/Relu\\u001b[2J\\u001b]0;x\\u0007\\r\\nout"), r.out());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007") || r.out().contains("\r"), r.out());
    }
}
