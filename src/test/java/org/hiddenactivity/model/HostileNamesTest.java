package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.TerminalText;
import org.hiddenactivity.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor names with NUL and control characters (issue 18, items 4 and 7). */
class HostileNamesTest {
    @TempDir
    Path dir;

    /** The test MLP with its first hidden tensor renamed. */
    private Path mlpWithHidden(String name) throws IOException {
        TestModels.Mlp m = new TestModels.Mlp(3);
        Path f = m.builder.write(dir.resolve("m" + Math.abs(name.hashCode())).resolve("epoch_000.onnx"));
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        ai.onnx.proto.OnnxMl.ModelProto p = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes);
        ai.onnx.proto.OnnxMl.ModelProto.Builder b = p.toBuilder();
        for (ai.onnx.proto.OnnxMl.NodeProto.Builder n : b.getGraphBuilder().getNodeBuilderList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (n.getInput(i).equals(TestModels.Mlp.H1)) {
                    n.setInput(i, name);
                }
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals(TestModels.Mlp.H1)) {
                    n.setOutput(i, name);
                }
            }
        }
        java.nio.file.Files.write(f, b.build().toByteArray());
        return f;
    }

    @Test
    void aNulInATensorNameIsRefusedBeforeComputationNamingTheTensor() throws IOException {
        Path f = mlpWithHidden("h\0idden");
        ModelInspection in = ModelInspector.inspect(f);
        Candidate c = in.candidate("h\0idden");
        assertTrue(c != null && !c.analysed() && c.reason().contains("NUL"), String.valueOf(c));
        Dataset data = TestModels.dataset("toy", 4, 1, 4, 4, 1);
        ModelSeries s = ModelSeries.resolve(f.getParent().toString(), new ModelOptions(List.of("h\0idden"),
                ConvUnits.CHANNEL, null, null, null));
        HavException e = assertThrows(HavException.class, () -> new ActivationExtractor().extract(s,
                s.checkpoint(0), data, Progress.NONE));
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("h\\u0000idden") && e.getMessage().contains("NUL")
                && e.getMessage().contains("rename"), e.getMessage());
        assertFalse(e.getMessage().contains("\0"), e.getMessage());
    }

    @Test
    void controlCharactersAreEscapedForTheTerminal() {
        String hostile = "a\u001b]0;owned\u0007b\rc\nd\u009b2J\u202ee";
        String safe = TerminalText.safe(hostile);
        assertEquals("a\\u001b]0;owned\\u0007b\\rc\\nd\\u009b2J\\u202ee", safe);
        assertTrue(safe.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f), safe);
        assertEquals("plain name/Relu:0", TerminalText.safe("plain name/Relu:0"));
    }
}
