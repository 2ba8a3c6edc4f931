package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The out-of-memory message names the input the command was reading (issue 18, item 1). */
class OutOfMemoryInputTest {
    @Test
    void theModelOrInputOptionIsNamedFirst() {
        assertEquals("m", Main.inputOf(new String[] {"report", "--size", "10", "--model", "m"}));
        assertEquals("x.npy", Main.inputOf(new String[] {"tsne", "--input", "x.npy", "--out", "y.npy"}));
    }

    @Test
    void elseTheFirstArgumentThatIsAnExistingPath(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectory(dir.resolve("model"));
        assertEquals(model.toString(), Main.inputOf(new String[] {"inspect", "--all", model.toString()}));
        assertNull(Main.inputOf(new String[] {"inspect", "--all", dir.resolve("absent").toString()}));
        assertNull(Main.inputOf(new String[] {"info"}));
    }
}
