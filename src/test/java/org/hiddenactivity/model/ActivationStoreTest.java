package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationStoreTest {
    @TempDir
    Path dir;

    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void firstCallStoresEveryLayerSecondCallReadsThem() throws IOException {
        Path model = new TestModels.Mlp(31).builder.write(dir.resolve("m").resolve("epoch_0.onnx"));
        ModelSeries s = ModelSeries.resolve(model.getParent().toString());
        Dataset data = TestModels.dataset("toy", 12, 1, 4, 4, 2);
        Path cache = dir.resolve("cache");
        ActivationStore store = new ActivationStore(cache, false);

        LayerActivations first = store.activations(s, s.checkpoint(0), data, 2);
        assertFalse(first.cached());
        // one pass stored both layers, the predictions and the class output; nothing temporary is left
        List<String> stored = files(cache);
        assertEquals(4, stored.size(), stored.toString());
        assertTrue(Files.isRegularFile(store.scoresFile(s, s.checkpoint(0), data)));
        // the class output is N x classes and its row argmax is the prediction
        assertEquals(12, first.scores().rows());
        assertEquals(data.classNames().size(), first.scores().cols());
        for (int i = 0; i < 12; i++) {
            int arg = 0;
            for (int c = 1; c < first.scores().cols(); c++) {
                arg = first.scores().get(i, c) > first.scores().get(i, arg) ? c : arg;
            }
            assertEquals(first.predicted()[i], arg, "observation " + i);
        }
        assertTrue(stored.stream().noneMatch(n -> n.endsWith(".tmp") || n.startsWith(".")), stored.toString());
        assertTrue(Files.isRegularFile(store.layerFile(s, s.checkpoint(0), data, s.layer(1))));

        LayerActivations again = store.activations(s, s.checkpoint(0), data, 2);
        assertTrue(again.cached());
        assertArrayEquals(first.values().data(), again.values().data());
        assertArrayEquals(first.predicted(), again.predicted());
        assertArrayEquals(first.scores().data(), again.scores().data());
        // a cache written before the class output was kept lacks it: the checkpoint is extracted again
        Files.delete(store.scoresFile(s, s.checkpoint(0), data));
        LayerActivations refilled = store.activations(s, s.checkpoint(0), data, 2);
        assertFalse(refilled.cached());
        assertArrayEquals(first.scores().data(), refilled.scores().data());
        assertTrue(Files.isRegularFile(store.scoresFile(s, s.checkpoint(0), data)));
        LayerActivations one = store.activations(s, s.checkpoint(0), data, 1);
        assertTrue(one.cached());
        assertEquals(8, one.values().cols());

        // the cached file really is what is read: change it and the change shows
        Path f = store.layerFile(s, s.checkpoint(0), data, s.layer(1));
        float[] changed = one.values().data().clone();
        changed[0] = 42f;
        Npy.write(f, new org.hiddenactivity.core.FloatMatrix(one.values().rows(), one.values().cols(), changed));
        assertEquals(42f, store.activations(s, s.checkpoint(0), data, 1).values().get(0, 0));
        // fresh recomputes and overwrites
        LayerActivations fresh = new ActivationStore(cache, true).activations(s, s.checkpoint(0), data, 1);
        assertFalse(fresh.cached());
        assertNotEquals(42f, fresh.values().get(0, 0));
        assertNotEquals(42f, store.activations(s, s.checkpoint(0), data, 1).values().get(0, 0));

        CheckpointActivations all = store.all(s, s.checkpoint(0), data);
        assertEquals(2, all.values().size());
        assertArrayEquals(first.values().data(), all.values().get(1).data());
    }

    @Test
    void aCorruptCacheEntryIsDeletedAndComputedAgainWithAWarning() throws IOException {
        Path model = new TestModels.Mlp(33).builder.write(dir.resolve("m").resolve("epoch_0.onnx"));
        ModelSeries s = ModelSeries.resolve(model.getParent().toString());
        Dataset data = TestModels.dataset("toy", 12, 1, 4, 4, 2);
        ActivationStore store = new ActivationStore(dir.resolve("cache"), false);
        LayerActivations first = store.activations(s, s.checkpoint(0), data, 1);
        Path f = store.layerFile(s, s.checkpoint(0), data, s.layer(1));
        Files.write(f, new byte[] {(byte) 0x93, 'N', 'U', 'M'}); // cut short, as by a full disk long ago
        try (org.hiddenactivity.core.Warnings.Recorder w = org.hiddenactivity.core.Warnings.record()) {
            LayerActivations again = store.activations(s, s.checkpoint(0), data, 1);
            assertFalse(again.cached());
            assertArrayEquals(first.values().data(), again.values().data());
            assertTrue(w.warned("unreadable") && w.warned("computing it again"), w.warnings().toString());
        }
        assertTrue(store.activations(s, s.checkpoint(0), data, 1).cached());
    }

    @Test
    void keyChangesWithSizeDataAndCheckpointContent() throws IOException {
        Path model = new TestModels.Mlp(32).builder.write(dir.resolve("m").resolve("epoch_0.onnx"));
        ModelSeries s = ModelSeries.resolve(model.getParent().toString());
        ActivationStore store = new ActivationStore(dir.resolve("cache"), false);
        Dataset data = TestModels.dataset("toy", 12, 1, 4, 4, 2);
        Path full = store.layerFile(s, s.checkpoint(0), data, s.layer(1));
        assertNotEquals(full, store.layerFile(s, s.checkpoint(0), data.head(5), s.layer(1)));
        assertNotEquals(full, store.layerFile(s, s.checkpoint(0), TestModels.dataset("toy", 12, 1, 4, 4, 3),
                s.layer(1)));
        assertNotEquals(full, store.layerFile(s, s.checkpoint(0), data, s.layer(2)));
        new TestModels.Mlp(33).builder.write(model);
        ModelSeries retrained = ModelSeries.resolve(model.getParent().toString());
        assertNotEquals(full, store.layerFile(retrained, retrained.checkpoint(0), data, retrained.layer(1)));
    }

    @Test
    void failedExtractionWritesNothing() throws IOException {
        Path m = dir.resolve("nan");
        TestModels.nanModel(34).write(m.resolve("epoch_0.onnx"));
        Files.writeString(m.resolve("manifest.json"), """
                {"hidden_layers": [{"tensor": "h1"}, {"tensor": "log"}],
                 "checkpoints": [{"epoch": 0, "file": "epoch_0.onnx"}]}
                """, StandardCharsets.UTF_8);
        ModelSeries s = ModelSeries.resolve(m.toString());
        Path cache = dir.resolve("cache");
        ActivationStore store = new ActivationStore(cache, false);
        Dataset data = TestModels.dataset("toy", 6, 1, 4, 4, 2);
        // layer 1 itself is finite, but it comes from the same pass as the NaN layer 2: nothing is stored
        assertThrows(HavException.class, () -> store.activations(s, s.checkpoint(0), data, 1));
        assertEquals(List.of(), files(cache));
    }
}
