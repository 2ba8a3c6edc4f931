package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSeriesTest {
    @TempDir
    Path dir;

    private static String message(Runnable r) {
        return assertThrows(HavException.class, r::run).getMessage();
    }

    @Test
    void folderWithoutManifestTakesEpochsFromFileNames() throws IOException {
        Path m = dir.resolve("run");
        for (int e : new int[] {10, 0, 2}) {
            new TestModels.Mlp(e).builder.write(m.resolve("model_epoch_" + String.format("%03d", e) + ".onnx"));
        }
        ModelSeries s = ModelSeries.resolve(m.toString());
        assertEquals(List.of(0, 2, 10), s.epochs());
        assertEquals(10, s.lastEpoch());
        assertEquals("run", s.name());
        assertNull(s.dataset());
        assertTrue(s.normalisation().isNone());
        assertTrue(s.normalisation().toString().contains("no manifest.json"), s.normalisation().toString());
        assertEquals(2, s.hiddenLayers().size());
        assertEquals(8, s.layer(1).units());
        String msg = message(() -> s.checkpoint(5));
        assertTrue(msg.contains("no checkpoint for epoch 5") && msg.contains("[0, 2, 10]"), msg);
    }

    @Test
    void duplicateEpochsAndNamesWithoutDigitsAreRefused() throws IOException {
        Path m = dir.resolve("dup");
        new TestModels.Mlp(1).builder.write(m.resolve("a_1.onnx"));
        new TestModels.Mlp(1).builder.write(m.resolve("b_001.onnx"));
        assertTrue(message(() -> ModelSeries.resolve(m.toString())).contains("two checkpoints for epoch 1"));
        Path n = dir.resolve("nodigits");
        new TestModels.Mlp(1).builder.write(n.resolve("final.onnx"));
        new TestModels.Mlp(1).builder.write(n.resolve("best.onnx"));
        assertTrue(message(() -> ModelSeries.resolve(n.toString())).contains("no epoch number"));
    }

    @Test
    void referenceNameResolvesUnderTheProjectModelsFolder() throws IOException {
        Path home = dir.resolve("project");
        Path m = home.resolve("models").resolve("toy_mlp");
        new TestModels.Mlp(2).builder.write(m.resolve("epoch_000.onnx"));
        new TestModels.Mlp(3).builder.write(m.resolve("epoch_001.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"name": "toy_mlp", "dataset": "fashion_mnist", "input_shape": [1, 16], "unknown_field": {"x": 1},
                 "checkpoints": [{"epoch": 1, "file": "epoch_001.onnx", "test_accuracy": 0.75},
                                 {"epoch": 0, "file": "epoch_000.onnx"}],
                 "training": {"optimizer": "sgd"}}
                """, StandardCharsets.UTF_8);
        String previous = System.getProperty("hav.home");
        System.setProperty("hav.home", home.toString());
        try {
            ModelSeries s = ModelSeries.resolve("toy_mlp");
            assertEquals("toy_mlp", s.name());
            assertEquals("fashion-mnist", s.dataset());
            assertEquals(List.of(0, 1), s.epochs());
            assertEquals(0.75, s.checkpoint(1).testAccuracy().orElseThrow());
            assertTrue(s.checkpoint(0).testAccuracy().isEmpty());
            assertEquals(2, s.hiddenLayers().size()); // none in the manifest: the default candidates
            assertEquals("sgd", s.manifest().root().path("training").path("optimizer").asText());
            String msg = message(() -> ModelSeries.resolve("vgg"));
            assertTrue(msg.contains("toy_mlp") && msg.contains("vgg"), msg);
        } finally {
            if (previous == null) {
                System.clearProperty("hav.home");
            } else {
                System.setProperty("hav.home", previous);
            }
        }
    }

    @Test
    void brokenManifestsAreExplained() throws IOException {
        Path m = dir.resolve("broken");
        new TestModels.Mlp(2).builder.write(m.resolve("epoch_000.onnx"));
        Files.writeString(m.resolve("manifest.json"), "{\"checkpoints\": [", StandardCharsets.UTF_8);
        assertTrue(message(() -> ModelSeries.resolve(m.toString())).contains("not valid JSON"));
        Files.writeString(m.resolve("manifest.json"), "{\"name\": \"x\"}", StandardCharsets.UTF_8);
        assertTrue(message(() -> ModelSeries.resolve(m.toString())).contains("no \"checkpoints\""));
        Files.writeString(m.resolve("manifest.json"),
                "{\"checkpoints\": [{\"epoch\": 3, \"file\": \"epoch_003.onnx\"}]}", StandardCharsets.UTF_8);
        String msg = message(() -> ModelSeries.resolve(m.toString()));
        assertTrue(msg.contains("epoch_003.onnx") && msg.contains("missing"), msg);
    }

    @Test
    void epochFromFileNames() {
        assertEquals(12, ModelSeries.epochOf("epoch_012.onnx"));
        assertEquals(7, ModelSeries.epochOf("mlp2-7.onnx"));
        assertNull(ModelSeries.epochOf("final.onnx"));
    }

    /**
     * The reference MLP of models/ (trained by another part of the project; skipped until it exists): its accuracy
     * on the first 2000 shipped test digits, through our decoding, normalisation and argmax, is close to the test
     * accuracy the training script recorded on all 10000.
     */
    @Test
    void referenceMnistMlpAgreesWithItsRecordedAccuracy() {
        Path home = Path.of(System.getProperty("hav.home", "")).toAbsolutePath();
        Path ref = home.resolve("models").resolve("mnist_mlp");
        Assumptions.assumeTrue(Files.isDirectory(ref), "models/mnist_mlp not present");
        ModelSeries s = ModelSeries.resolve(ref.toString());
        Checkpoint last = s.checkpoint(s.lastEpoch());
        Assumptions.assumeTrue(last.testAccuracy().isPresent(), "no test accuracy recorded");
        Dataset data = Datasets.load("mnist", Split.TEST, null, 2000);
        LayerActivations a = new ActivationStore(dir, false).activations(s, last, data, 1);
        assertEquals(2000, a.values().rows());
        double recorded = last.testAccuracy().getAsDouble();
        assertEquals(recorded, a.accuracy(data.labels()), 0.05, "epoch " + last.epoch());
    }
}
