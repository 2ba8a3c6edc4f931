package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which output holds the class scores when a torch model returns two (issue 17 item 5), on the modern fixtures:
 * embedding_first returns (embedding [N, 8], logits = head(embedding) [N, 4]); projection_first returns
 * (projection [N, 8], logits [N, 4]) computed side by side from the same features.
 */
class ClassOutputTest {
    private static Path model(String folder) throws URISyntaxException {
        return Path.of(ClassOutputTest.class.getResource("/fixtures/modern/" + folder + "/epoch_000.onnx").toURI());
    }

    @Test
    void theOutputWithAsManyUnitsAsClassesIsTheClassScores() throws Exception {
        ClassOutput c = ClassOutput.choose(OnnxGraph.read(model("projection_first_op17")), null, 4, "the dataset x");
        assertEquals("logits", c.tensor());
        assertTrue(c.reason().contains("as many units as classes (4"), c.reason());
        assertNull(c.warning());
        assertFalse(c.first());
    }

    @Test
    void withoutAClassCountTheOutputNoOtherIsComputedFromIsTaken() throws Exception {
        ClassOutput c = ClassOutput.choose(OnnxGraph.read(model("embedding_first_op14")), null, -1, null);
        assertEquals("logits", c.tensor(), c.reason());
        assertNull(c.warning());
    }

    @Test
    void undecidedChoicesSayWhatWasTakenAndWhy() throws Exception {
        OnnxGraph g = OnnxGraph.read(model("projection_first_op14"));
        ClassOutput unknown = ClassOutput.choose(g, null, -1, null);
        assertEquals("embedding", unknown.tensor());
        assertNotNull(unknown.warning());
        assertTrue(unknown.warning().contains("no class count is known") && unknown.warning().contains("\"output\""),
                unknown.warning());
        ClassOutput none = ClassOutput.choose(g, null, 5, "the dataset five");
        assertEquals("embedding", none.tensor());
        assertTrue(none.warning().contains("no graph output has 5 units") && none.warning().contains("first"),
                none.warning());
        ClassOutput named = ClassOutput.choose(g, "embedding", 4, "the dataset x");
        assertEquals("embedding", named.tensor(), "the manifest's output wins");
    }

    @Test
    void theEmbeddingOutputIsACandidateAndInspectSaysWhichOutputHoldsTheScores(@TempDir Path dir) throws Exception {
        Files.copy(model("projection_first_op17"), dir.resolve("epoch_000.onnx"));
        // the manifest's class names give the count before any data is loaded
        Files.writeString(dir.resolve("manifest.json"), "{\"classes\": [\"a\", \"b\", \"c\", \"d\"], \"checkpoints\":"
                + " [{\"epoch\": 0, \"file\": \"epoch_000.onnx\"}]}");
        ModelSeries s = ModelSeries.ofDirectory(dir);
        assertEquals("logits", s.classOutput().tensor());
        assertEquals("logits", s.outputTensor());
        assertTrue(s.classOutput().reason().contains("manifest.json \"classes\""), s.classOutput().reason());
        ModelInspection in = ModelInspector.inspect(dir.resolve("epoch_000.onnx"), s.classOutput());
        assertEquals("logits", in.output());
        Candidate emb = in.candidate("embedding");
        assertNotNull(emb, "the first output is a candidate");
        assertTrue(emb.analysed() && emb.reason().contains("graph output besides the class scores"), emb.reason());
        assertNull(in.candidate("logits"), "the class scores are no hidden layer");
    }
}
