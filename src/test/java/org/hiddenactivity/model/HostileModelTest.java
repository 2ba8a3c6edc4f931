package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders, files and manifests made to mislead or attack: each is a clear error, and nothing hangs or leaks. */
class HostileModelTest {
    @TempDir
    Path dir;

    private String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(HavException.class, e).getMessage();
    }

    private Path folderWithManifest(String name, String manifest) throws IOException {
        Path m = dir.resolve(name);
        new TestModels.Mlp(1).builder.write(m.resolve("epoch_000.onnx"));
        Files.writeString(m.resolve("manifest.json"), manifest, StandardCharsets.UTF_8);
        return m;
    }

    @Test
    void aFifoOrADeviceNamedLikeACheckpointIsRefusedAtOnce() throws Exception {
        Path m = dir.resolve("fifo");
        Files.createDirectories(m);
        Process mk = new ProcessBuilder("mkfifo", m.resolve("epoch_000.onnx").toString()).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> message(() -> ModelSeries.resolve(m.toString())));
        assertTrue(msg.contains("epoch_000.onnx") && msg.contains("not a regular file"), msg);

        Path z = dir.resolve("zero");
        Files.createDirectories(z);
        Files.createSymbolicLink(z.resolve("epoch_000.onnx"), Path.of("/dev/zero"));
        msg = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> message(() -> ModelSeries.resolve(z.toString())));
        assertTrue(msg.contains("symbolic link") && msg.contains("not a regular file"), msg);
        msg = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> message(() -> ModelInspector.inspect(z.resolve("epoch_000.onnx"))));
        assertTrue(msg.contains("not a regular file"), msg);
    }

    @Test
    void aManifestNameIsOneSafeFileNameComponent() throws IOException {
        for (String hostile : List.of("/some/dir", "../../x", "..", "a/../../b", "")) {
            Path m = folderWithManifest("n" + Math.abs(hostile.hashCode()), "{\"name\": \"" + hostile
                    + "\", \"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\"}]}");
            String name = ModelSeries.resolve(m.toString()).name();
            assertFalse(name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")
                    || name.isEmpty() || name.startsWith("."), hostile + " -> " + name);
        }
    }

    @Test
    void checkpointsOutsideTheModelFolderAreRefused() throws IOException {
        new TestModels.Mlp(2).builder.write(dir.resolve("elsewhere").resolve("epoch_001.onnx"));
        Path m = folderWithManifest("out", "{\"checkpoints\": [{\"epoch\": 1, \"file\": \"../elsewhere/epoch_001.onnx\"}]}");
        String msg = message(() -> ModelSeries.resolve(m.toString()));
        assertTrue(msg.contains("outside the model folder"), msg);
        Path abs = folderWithManifest("abs", "{\"checkpoints\": [{\"epoch\": 1, \"file\": \""
                + dir.resolve("elsewhere").resolve("epoch_001.onnx") + "\"}]}");
        assertTrue(message(() -> ModelSeries.resolve(abs.toString())).contains("outside the model folder"));
        Path link = folderWithManifest("link", "{\"checkpoints\": [{\"epoch\": 1, \"file\": \"e1.onnx\"}]}");
        Files.createSymbolicLink(link.resolve("e1.onnx"), dir.resolve("elsewhere").resolve("epoch_001.onnx"));
        msg = message(() -> ModelSeries.resolve(link.toString()));
        assertTrue(msg.contains("is a link to") && msg.contains("outside the model folder"), msg);
    }

    @Test
    void malformedManifestFieldsSayWhatIsWrong() throws IOException {
        String cp = "\"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\"}]";
        Path zero = folderWithManifest("zero", "{\"checkpoints\": [{\"epoch\": \"zero\", \"file\": \"epoch_000.onnx\"}]}");
        String msg = message(() -> ModelSeries.resolve(zero.toString()));
        assertTrue(msg.contains("\"zero\"") && msg.contains("not a whole number"), msg);
        Path twice = folderWithManifest("twice", "{\"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\"},"
                + " {\"epoch\": 0, \"file\": \"epoch_000.onnx\"}]}");
        assertTrue(message(() -> ModelSeries.resolve(twice.toString())).contains("listed twice"));
        Path means = folderWithManifest("means", "{\"normalisation\": {\"mean\": [0.1, 0.2], \"std\": [0.3, 0.3, 0.3]},"
                + cp + "}");
        msg = message(() -> ModelSeries.resolve(means.toString()));
        assertTrue(msg.contains("2 means but 3 standard deviations") && msg.contains("manifest.json"), msg);
        Path noStd = folderWithManifest("nostd", "{\"normalisation\": {\"mean\": [0.1]}," + cp + "}");
        assertTrue(message(() -> ModelSeries.resolve(noStd.toString())).contains("needs both"));
        Path badStd = folderWithManifest("badstd", "{\"normalisation\": {\"mean\": [0.1], \"std\": [0]}," + cp + "}");
        msg = message(() -> ModelSeries.resolve(badStd.toString()));
        // found by fuzzing: the error named "normalisation from <file>" instead of starting with the file
        assertTrue(msg.startsWith(badStd.resolve("manifest.json").toString()) && msg.contains("not positive"), msg);
        Path sha = folderWithManifest("sha", "{\"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\","
                + " \"sha256\": \"abc\"}]}");
        assertTrue(message(() -> ModelSeries.resolve(sha.toString())).contains("64 hexadecimal"));
        Path layout = folderWithManifest("layout", "{\"input_layout\": \"whc\"," + cp + "}");
        assertTrue(message(() -> ModelSeries.resolve(layout.toString())).contains("not a layout"));
        try (Warnings.Recorder w = Warnings.record()) {
            Path typo = folderWithManifest("typo", "{\"normalisaton\": {}," + cp + "}");
            ModelSeries.resolve(typo.toString());
            assertTrue(w.warned("unknown field \"normalisaton\"") && w.warned("did you mean normalisation"),
                    w.warnings().toString());
        }
    }

    @Test
    void aManifestHashMismatchIsNoticedBeforeAnyComputation() throws IOException {
        Path m = folderWithManifest("hash", "{\"checkpoints\": [{\"epoch\": 0, \"file\": \"epoch_000.onnx\", \"sha256\": \""
                + "0".repeat(64) + "\"}]}");
        ModelSeries s = ModelSeries.resolve(m.toString());
        String msg = message(() -> s.checkedFor(TestModels.dataset("toy", 4, 1, 4, 4, 1)));
        assertTrue(msg.contains("differs from the manifest"), msg);
    }

    @Test
    void aHugeFixedBatchIsRefusedWithoutAllocatingIt() throws IOException {
        TestModels.Builder b = new TestModels.Builder(3).input("input", 3_000_000L, 784L).output("logits", 3_000_000L, 3L);
        b.weights("w", 4, 784);
        b.weights("b", 4);
        b.weights("w2", 3, 4);
        b.weights("b2", 3);
        b.node("Gemm", "g", List.of("input", "w", "b"), List.of("z"), TestModels.intAttr("transB", 1));
        b.node("Relu", "r", List.of("z"), List.of("h"));
        b.node("Gemm", "g2", List.of("h", "w2", "b2"), List.of("logits"), TestModels.intAttr("transB", 1));
        Path f = b.write(dir.resolve("batch.onnx"));
        ModelSeries s = ModelSeries.resolve(f.toString());
        String msg = message(() -> new ActivationExtractor().extract(s, s.checkpoints().get(0),
                TestModels.dataset("toy", 5, 1, 28, 28, 1), Progress.NONE));
        assertTrue(msg.contains("fixed at 3000000") && msg.contains("dynamic"), msg);
    }

    @Test
    void aModelTooLargeOrNotAFileIsRefusedBeforeReading() throws IOException {
        assertTrue(message(() -> ModelInspector.inspect(dir)).contains("is a folder"));
        Path dangling = Files.createSymbolicLink(dir.resolve("gone.onnx"), dir.resolve("nowhere.onnx"));
        assertTrue(message(() -> ModelInspector.inspect(dangling)).contains("symbolic link to a missing file"));
    }
}
