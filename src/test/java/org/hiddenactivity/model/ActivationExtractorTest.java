package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationExtractorTest {
    private static final float TOL = 1e-4f;

    @TempDir
    Path dir;

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void assertRow(float[] expected, FloatMatrix m, int row) {
        assertEquals(expected.length, m.cols());
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], m.get(row, j), TOL, "row " + row + " unit " + j);
        }
    }

    @Test
    void torchMlpActivationsMatchJavaAcrossBatches() throws IOException {
        TestModels.Mlp mlp = new TestModels.Mlp(11);
        Path f = mlp.builder.write(dir.resolve("mlp").resolve("epoch_003.onnx"));
        ModelSeries s = ModelSeries.resolve(f.getParent().toString());
        assertEquals(2, s.hiddenLayers().size());
        Dataset data = TestModels.dataset("toy", 23, 1, 4, 4, 5);
        // batch 10 over 23 observations: three calls, the last one partial
        CheckpointActivations a = new ActivationExtractor(10).extract(s, s.checkpoint(3), data, Progress.NONE);
        assertEquals(2, a.values().size());
        assertEquals(8, a.values().get(0).cols());
        assertEquals(6, a.values().get(1).cols());
        for (int i = 0; i < data.size(); i++) {
            float[][] expected = mlp.forward(data.images().row(i));
            assertRow(expected[0], a.values().get(0), i);
            assertRow(expected[1], a.values().get(1), i);
            assertEquals(argmax(expected[2]), a.predicted()[i], "prediction " + i);
        }
    }

    @Test
    void convLayerCountsChannelsByDefaultAndPositionsWhenAsked() throws IOException {
        TestModels.Cnn cnn = new TestModels.Cnn(12);
        Path f = cnn.builder.write(dir.resolve("cnn.onnx"));
        // one dense layer only: the conv feature map is analysed too, one unit per channel
        ModelSeries s = ModelSeries.resolve(f.toString());
        assertEquals(List.of(TestModels.Cnn.CONV, TestModels.Cnn.DENSE),
                s.hiddenLayers().stream().map(HiddenLayer::tensor).toList());
        assertEquals(LayerKind.CONV, s.layer(1).kind());
        assertEquals(2, s.layer(1).units());
        Dataset data = TestModels.dataset("toy", 7, 1, 4, 4, 6);
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoints().get(0), data, Progress.NONE);
        assertEquals(2, a.values().get(0).cols());
        ModelSeries positions = ModelSeries.resolve(f.toString(), new ModelOptions(List.of(), ConvUnits.POSITION,
                null, null, null));
        assertEquals(32, positions.layer(1).units());
        CheckpointActivations p = new ActivationExtractor().extract(positions, positions.checkpoints().get(0), data,
                Progress.NONE);
        assertEquals(32, p.values().get(0).cols());
        for (int i = 0; i < data.size(); i++) {
            float[][] expected = cnn.forward(data.images().row(i));
            assertRow(expected[0], p.values().get(0), i);
            float[] perChannel = new float[2];
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int k = 0; k < 16; k++) {
                    sum += expected[0][c * 16 + k];
                }
                perChannel[c] = (float) (sum / 16);
            }
            assertRow(perChannel, a.values().get(0), i);
            assertRow(expected[1], a.values().get(1), i);
            assertEquals(argmax(expected[2]), a.predicted()[i]);
        }
    }

    @Test
    void kerasNhwcInputIsTransposedFromChw() throws IOException {
        TestModels.KerasMlp keras = new TestModels.KerasMlp(13);
        Path f = keras.builder.write(dir.resolve("keras_01.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString());
        assertEquals(1, s.checkpoints().get(0).epoch());
        Dataset data = TestModels.dataset("toy2ch", 9, 2, 3, 3, 7);
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoint(1), data, Progress.NONE);
        for (int i = 0; i < data.size(); i++) {
            float[][] expected = keras.forward(data.images().row(i));
            assertRow(expected[0], a.values().get(0), i);
            assertEquals(argmax(expected[1]), a.predicted()[i]);
        }
    }

    @Test
    void manifestNormalisationIsApplied() throws IOException {
        TestModels.Mlp mlp = new TestModels.Mlp(14);
        Path m = dir.resolve("norm");
        mlp.builder.write(m.resolve("e0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"name": "toy", "dataset": "MNIST", "normalisation": {"mean": [0.5], "std": [0.25]},
                 "hidden_layers": [{"name": "hidden1", "tensor": "%s", "units": 8}],
                 "checkpoints": [{"epoch": 0, "file": "e0.onnx", "test_accuracy": 0.5}], "seed": 0}
                """.formatted(TestModels.Mlp.H1), StandardCharsets.UTF_8);
        ModelSeries s = ModelSeries.resolve(m.toString());
        assertEquals("mnist", s.dataset());
        assertEquals("hidden1", s.layer(1).name());
        Dataset data = TestModels.dataset("toy", 5, 1, 4, 4, 8);
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoint(0), data, Progress.NONE);
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.images().row(i);
            for (int j = 0; j < x.length; j++) {
                x[j] = (x[j] - 0.5f) / 0.25f;
            }
            assertRow(mlp.forward(x)[0], a.values().get(0), i);
        }
    }

    @Test
    void inputThatDoesNotFitTheDatasetIsRefused() throws IOException {
        Path f = new TestModels.Mlp(15).builder.write(dir.resolve("mlp.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString());
        Dataset data = TestModels.dataset("toy", 3, 1, 5, 5, 9);
        HavException e = assertThrows(HavException.class,
                () -> new ActivationExtractor().extract(s, s.checkpoints().get(0), data, Progress.NONE));
        assertTrue(e.getMessage().contains("[?, 16]") && e.getMessage().contains("1x5x5 (25 values)"),
                e.getMessage());

        Path k = new TestModels.KerasMlp(16).builder.write(dir.resolve("keras.onnx"));
        ModelSeries ks = ModelSeries.resolve(k.toString());
        Dataset one = TestModels.dataset("toy", 3, 1, 3, 6, 9); // 18 values but not 3x3x2
        e = assertThrows(HavException.class,
                () -> new ActivationExtractor().extract(ks, ks.checkpoints().get(0), one, Progress.NONE));
        assertTrue(e.getMessage().contains("[?, 3, 3, 2]"), e.getMessage());
    }

    @Test
    void layerOutOfRangeListsTheValidRange() throws IOException {
        Path f = new TestModels.Mlp(17).builder.write(dir.resolve("mlp.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString());
        HavException e = assertThrows(HavException.class, () -> s.layer(3));
        assertTrue(e.getMessage().contains("valid layers: 1..2"), e.getMessage());
        e = assertThrows(HavException.class, () -> s.layer(0));
        assertTrue(e.getMessage().contains("1..2"), e.getMessage());
    }

    @Test
    void nanActivationsAreAnErrorNamingLayerAndObservation() throws IOException {
        Path m = dir.resolve("nan");
        TestModels.nanModel(18).write(m.resolve("epoch_0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"hidden_layers": [{"tensor": "log"}], "checkpoints": [{"epoch": 0, "file": "epoch_0.onnx"}]}
                """, StandardCharsets.UTF_8);
        ModelSeries s = ModelSeries.resolve(m.toString());
        Dataset data = TestModels.dataset("toy", 4, 1, 4, 4, 10);
        HavException e = assertThrows(HavException.class,
                () -> new ActivationExtractor().extract(s, s.checkpoint(0), data, Progress.NONE));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("observation 0")
                && e.getMessage().contains("epoch_0.onnx"), e.getMessage());
    }

    @Test
    void unknownTensorInManifestIsNamed() throws IOException {
        Path m = dir.resolve("bad");
        new TestModels.Mlp(19).builder.write(m.resolve("epoch_0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"hidden_layers": [{"tensor": "dense_9/Relu:0"}], "checkpoints": [{"epoch": 0, "file": "epoch_0.onnx"}]}
                """, StandardCharsets.UTF_8);
        HavException e = assertThrows(HavException.class, () -> ModelSeries.resolve(m.toString()));
        assertTrue(e.getMessage().contains("dense_9/Relu:0") && e.getMessage().contains("hav inspect"),
                e.getMessage());
    }

    @Test
    void checkpointChangedSinceTheManifestIsRefused() throws IOException {
        Path m = dir.resolve("sha");
        new TestModels.Mlp(20).builder.write(m.resolve("epoch_0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"checkpoints": [{"epoch": 0, "file": "epoch_0.onnx", "sha256": "%s"}]}
                """.formatted("0".repeat(64)), StandardCharsets.UTF_8);
        ModelSeries s = ModelSeries.resolve(m.toString());
        HavException e = assertThrows(HavException.class, () -> new ActivationExtractor().extract(s, s.checkpoint(0),
                TestModels.dataset("toy", 2, 1, 4, 4, 1), Progress.NONE));
        assertTrue(e.getMessage().contains("differs from the manifest"), e.getMessage());
    }

    @Test
    void askingForCudaFallsBackToTheCpuWithTheSameResult() throws IOException {
        TestModels.Mlp mlp = new TestModels.Mlp(21);
        Path f = mlp.builder.write(dir.resolve("mlp.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString());
        Dataset data = TestModels.dataset("toy", 4, 1, 4, 4, 3);
        CheckpointActivations cpu = new ActivationExtractor().extract(s, s.checkpoints().get(0), data, Progress.NONE);
        System.setProperty("hav.ort.cuda", "true");
        try {
            // with the CPU onnxruntime artifact the CUDA provider is missing: one message, then the CPU
            CheckpointActivations asked = new ActivationExtractor().extract(s, s.checkpoints().get(0), data,
                    Progress.NONE);
            assertArrayEquals(cpu.values().get(0).data(), asked.values().get(0).data(), 1e-4f);
        } finally {
            System.clearProperty("hav.ort.cuda");
        }
    }

    @Test
    void flatInputTakesHwcOrderWhenTheManifestSaysSo() throws IOException {
        TestModels.Mlp mlp = new TestModels.Mlp(22);
        Path m = dir.resolve("hwc");
        mlp.builder.write(m.resolve("e0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"input_layout": "hwc", "checkpoints": [{"epoch": 0, "file": "e0.onnx"}]}
                """, StandardCharsets.UTF_8);
        ModelSeries s = ModelSeries.resolve(m.toString());
        Dataset data = TestModels.dataset("toy4ch", 3, 4, 2, 2, 4); // 4 channels of 2x2: 16 values
        CheckpointActivations a = new ActivationExtractor().extract(s, s.checkpoint(0), data, Progress.NONE);
        for (int i = 0; i < data.size(); i++) {
            float[] chw = data.images().row(i);
            float[] hwc = new float[16];
            for (int p = 0; p < 4; p++) {
                for (int c = 0; c < 4; c++) {
                    hwc[p * 4 + c] = chw[c * 4 + p];
                }
            }
            assertRow(mlp.forward(hwc)[0], a.values().get(0), i);
        }
    }
}
