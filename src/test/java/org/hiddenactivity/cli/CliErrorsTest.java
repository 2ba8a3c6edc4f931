package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user meets on a mistake: one line naming the option or file and the fix, the documented exit code. */
class CliErrorsTest {
    @TempDir
    Path dir;


    static HavRun hav(String... args) {
        return HavRun.of(args);
    }

    private static void noStackTrace(HavRun r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"), r.err());
    }

    @Test
    void unknownCommandsAndOptionsSuggestTheNearestOne() {
        HavRun r = hav("reprot");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("unknown command 'reprot'") && r.err().contains("did you mean report?"), r.err());
        r = hav("project", "--sise", "10");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("unknown option '--sise'") && r.err().contains("did you mean --size?"), r.err());
        r = hav("tsne", "stray");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("unexpected argument 'stray'"), r.err());
        r = hav("inspect");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("no model given"), r.err());
        noStackTrace(r);
    }

    @Test
    void errorsArePrintedAsJsonOnStdoutWithJson() throws IOException {
        HavRun r = hav("inspect", dir.resolve("absent.onnx").toString(), "--json");
        assertEquals(2, r.code());
        JsonNode e = new ObjectMapper().readTree(r.out());
        assertTrue(e.get("file").asText().contains("absent.onnx"), r.out());
        assertEquals("no such file or folder", e.get("error").asText());
        assertTrue(e.get("fix").asText().contains(".onnx"), r.out());
        assertEquals(2, e.get("exit_code").asInt());
        r = hav("reprot", "--json");
        assertEquals(Main.EXIT_USAGE, new ObjectMapper().readTree(r.out()).get("exit_code").asInt());
    }

    @Test
    void badListsNameTheirOwnOption() {
        HavRun r = hav("report", "--labels", "a,b", "--out", dir.resolve("r").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--labels") && !r.err().contains("--epochs") && r.err().contains("class number"),
                r.err());
        noStackTrace(r);
    }

    @Test
    void anOutputFolderThatIsAFileIsRefusedBeforeAnyComputation() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        long start = System.nanoTime();
        HavRun r = hav("project", "--out", file.toString(), "--quiet");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, r.code());
        assertTrue(r.err().contains("existing file"), r.err());
        assertTrue(seconds < 30, "refused after " + seconds + " s: the check must come first");
        assertEquals("x", Files.readString(file));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        noStackTrace(r);
    }

    @Test
    void anUnknownModelOrDatasetSuggestsTheNearestName() {
        HavRun r = hav("project", "--model", "mnist_mpl", "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean mnist_mlp?"), r.err());
        r = hav("project", "--dataset", "fashion-mnist", "--quiet", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("trained on mnist") && r.err().contains("leave out --dataset"), r.err());
    }
}
