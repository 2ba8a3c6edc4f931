package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedPathsTest {
    @TempDir
    Path dir;

    @Test
    void inputsAreRecordedRelativeToTheOutputOrAsBaseNameAndSha256OrAbsoluteOnlyWhenAsked() throws Exception {
        // dir is e.g. /tmp/junit-123: two levels deep, so paths under it are written relative to the report
        Path model = Files.createDirectories(dir.resolve("models").resolve("mlp"));
        Path manifest = Files.writeString(model.resolve("manifest.json"), "{}");
        Path report = dir.resolve("reports").resolve("mlp");
        RecordedPaths relative = new RecordedPaths(RecordedPaths.Mode.RELATIVE, report);
        assertEquals("../../models/mlp", relative.path(model));
        assertEquals("mean=[0.5] from ../../models/mlp/manifest.json",
                relative.text("mean=[0.5] from " + manifest, List.of(model, manifest)));
        assertEquals(Map.of("dir", "../../models/mlp", "n", 3), relative.values(Map.of("dir", model.toString(), "n", 3),
                List.of(model)));
        // no folder shared below the second level (here: none known): the base name, a file with its SHA-256
        RecordedPaths apart = new RecordedPaths(RecordedPaths.Mode.RELATIVE, Path.of("/elsewhere/out"));
        assertEquals("mlp", apart.path(model));
        assertEquals("manifest.json (sha256 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a)",
                apart.path(manifest));
        // a path found in free text without being known is rewritten too when it exists
        assertEquals("source mlp (npy)", apart.text("source " + model + " (npy)", List.of()));
        assertEquals("classpath:/datasets/mnist/ stays", apart.text("classpath:/datasets/mnist/ stays", List.of()));
        RecordedPaths absolute = new RecordedPaths(RecordedPaths.mode("absolute"), report);
        assertEquals(model.toString(), absolute.path(model));
        assertEquals("from " + manifest, absolute.text("from " + manifest, List.of(manifest)));
        assertThrows(HavException.class, () -> RecordedPaths.mode("home"));
    }
}
