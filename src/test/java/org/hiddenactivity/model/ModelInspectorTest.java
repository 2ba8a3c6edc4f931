package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInspectorTest {
    @TempDir
    Path dir;

    @Test
    void torchMlpHasTwoDenseCandidatesWithShapesFromARun() throws IOException {
        Path f = new TestModels.Mlp(1).builder.write(dir.resolve("mlp.onnx"));
        ModelInspection in = ModelInspector.inspect(f);
        assertEquals("input", in.input());
        assertArrayEquals(new long[] {-1, 16}, in.inputShape());
        assertEquals("logits", in.output());
        assertEquals(List.of(TestModels.Mlp.H1, TestModels.Mlp.H2), TestModels.names(in.candidates()));
        Candidate c = in.candidates().get(0);
        assertEquals("Relu", c.op());
        assertEquals("relu", c.pattern());
        assertEquals("Gemm", c.sourceOp());
        assertTrue(c.kind() == LayerKind.DENSE && c.analysed());
        assertArrayEquals(new long[] {-1, 8}, c.shape());
        assertEquals(6, in.candidates().get(1).units());
        assertEquals("a run on zeros", in.shapesFrom());
    }

    @Test
    void cnnWithOneDenseLayerAnalysesItsConvMapPerChannelToo() throws IOException {
        Path f = new TestModels.Cnn(2).builder.write(dir.resolve("cnn.onnx"));
        ModelInspection in = ModelInspector.inspect(f);
        assertEquals(List.of(TestModels.Cnn.CONV, TestModels.Cnn.DENSE), TestModels.names(in.candidates()));
        Candidate conv = in.candidates().get(0);
        assertEquals("Conv", conv.sourceOp());
        assertEquals(LayerKind.CONV, conv.kind());
        assertTrue(conv.analysed(), conv.reason());
        assertArrayEquals(new long[] {-1, 2, 4, 4}, conv.shape());
        assertEquals(2, conv.units());
        assertEquals(32, conv.units(ConvUnits.POSITION));
        assertEquals(List.of(TestModels.Cnn.CONV, TestModels.Cnn.DENSE), TestModels.names(in.analysed()));
    }

    @Test
    void tf2onnxMatMulAddReluWithKerasNames() throws IOException {
        Path f = new TestModels.KerasMlp(3).builder.write(dir.resolve("keras.onnx"));
        ModelInspection in = ModelInspector.inspect(f);
        assertEquals(1, in.candidates().size());
        Candidate c = in.candidates().get(0);
        assertEquals(TestModels.KerasMlp.HIDDEN, c.tensor());
        assertEquals("MatMul", c.sourceOp());
        assertEquals(8, c.units());
        assertArrayEquals(new long[] {-1, 3, 3, 2}, in.inputShape());
    }

    @Test
    void modelWithoutHiddenLayersHasNoCandidates() throws IOException {
        Path f = TestModels.noHidden(4).write(dir.resolve("nohidden.onnx"));
        ModelInspection in = ModelInspector.inspect(f);
        assertTrue(in.candidates().isEmpty());
        ModelSeries s = ModelSeries.resolve(f.toString());
        HavException e = assertThrows(HavException.class, () -> s.layer(1));
        assertTrue(e.getMessage().contains("no hidden layer") && e.getMessage().contains("--tensor"), e.getMessage());
    }

    @Test
    void truncatedAndNonOnnxFilesAreRefusedClearly() throws IOException {
        byte[] good = new TestModels.Mlp(1).builder.bytes();
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        HavException e = assertThrows(HavException.class, () -> ModelInspector.inspect(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());

        Path text = dir.resolve("notes.onnx");
        Files.write(text, "this is not a model\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(HavException.class, () -> ModelInspector.inspect(text));
        assertTrue(e.getMessage().contains("notes.onnx") && e.getMessage().contains("ONNX"), e.getMessage());

        e = assertThrows(HavException.class, () -> ModelInspector.inspect(dir.resolve("absent.onnx")));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("absent.onnx"), e.getMessage());
    }
}
