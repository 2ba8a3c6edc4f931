package org.hiddenactivity.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.EngineVersion;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.cuda.CudaTsne;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance is typed and reads back whole; the cache keys hold every result-changing setting. */
class RunProvenanceTest {
    @TempDir
    Path tmp;

    private static RunProvenance sample() {
        TreeMap<String, String> checkpoints = new TreeMap<>(Map.of("epoch 0", "aa", "epoch 10", "bb"));
        TsneParameters tsne = new TsneParameters(2, 17.5, 10, 200, 700, 123.25, 0.25, 0.4, 0.9, 0.02,
                TsneParameters.Init.RANDOM, 42, 3, 2);
        return new RunProvenance(RunProvenance.SCHEMA, "report", "2026-11-27T10:00:00Z", "1.0+abc",
                new Environment.Info("1.0", "OpenJDK 17", "Linux", 2, 4096, "1.5.13", "4.10", "1.22"), "mnist_mlp",
                checkpoints, Map.of("dir", "models/mnist_mlp", "layers", java.util.List.of(Map.of("number", 1,
                        "units", 256.5))), "mean 0.1307, std 0.3081", "mnist", "cc", "mnist/test from classpath", 400,
                42, tsne, "auto", "cuda", "NVIDIA H200",
                new TreeMap<>(Map.of("exact_repulsion_max_n", "20000")), 0.25, false, 1024);
    }

    @Test
    void writesAndReadsBackWhole() {
        RunProvenance p = sample();
        Path file = tmp.resolve("result.json");
        Results.writeJson(file, Map.of("trustworthiness", 0.9), p);
        assertEquals(p, RunProvenance.read(file));
        JsonNode doc = RunProvenance.readDocument(file);
        assertEquals(17.5, doc.at("/provenance/tsne/perplexity").asDouble());
        assertEquals(700, doc.at("/provenance/tsne/max_iter").asInt());
        assertEquals("20000", doc.at("/provenance/backend_settings/exact_repulsion_max_n").asText());
        assertEquals(2, doc.at("/provenance/checkpoints_sha256").size());
    }

    @Test
    void aRealRunsProvenanceReadsBackWhole() {
        AnalysisOptions options = new AnalysisOptions("mnist_mlp", null, null, 50, 3, null, "cpu", 0, false, true,
                512, TsneParameters.defaults().withMaxIter(300), true, 0.1, tmp.resolve("cache"));
        RunProvenance p;
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            p = ctx.provenance("project");
        }
        assertEquals(EngineVersion.id(), p.engine());
        assertEquals(options.tsneParameters(), p.tsne());
        assertEquals(50, p.observations());
        assertEquals("cpu", p.backend());
        Path file = tmp.resolve("r.json");
        Results.writeJson(file, Map.of(), p);
        assertEquals(p, RunProvenance.read(file));
    }

    @Test
    void incompleteOrForeignProvenanceIsRefused() throws Exception {
        ObjectNode node = (ObjectNode) sample().toJson();
        ObjectNode missing = node.deepCopy();
        missing.remove("tsne");
        assertThrows(HavException.class, () -> RunProvenance.fromJson(missing, "x.json"));
        ObjectNode unknown = node.deepCopy();
        unknown.put("surprise", 1);
        assertThrows(HavException.class, () -> RunProvenance.fromJson(unknown, "x.json"));
        ObjectNode newer = node.deepCopy();
        newer.put("schema", 2);
        HavException e = assertThrows(HavException.class, () -> RunProvenance.fromJson(newer, "x.json"));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
        ObjectNode badPerplexity = node.deepCopy();
        ((ObjectNode) badPerplexity.get("tsne")).put("perplexity", -3);
        assertThrows(HavException.class, () -> RunProvenance.fromJson(badPerplexity, "x.json"));
        Path notJson = tmp.resolve("bad.json");
        Files.writeString(notJson, "{not json");
        assertEquals(HavException.EXIT_BAD_INPUT,
                assertThrows(HavException.class, () -> RunProvenance.read(notJson)).exitCode());
        assertThrows(HavException.class, () -> RunProvenance.read(tmp.resolve("absent.json")));
    }

    @Test
    void cacheKeysHoldEngineBackendSettingsAndParameters() {
        TsneParameters p = TsneParameters.defaults();
        String cpu = ProjectionCache.key("single", new CpuTsne(1), p, "x");
        assertTrue(cpu.contains(EngineVersion.id()), cpu);
        assertEquals(cpu, ProjectionCache.key("single", new CpuTsne(2), p, "x"), "CPU threads do not change results");
        assertNotEquals(cpu, ProjectionCache.key("single", new CpuTsne(1), p.withPerplexity(20), "x"));
        assertNotEquals(cpu, ProjectionCache.key("single", new CpuTsne(1), p, "y"));
        String exact = ProjectionCache.key("single", new CudaTsne(20000), p, "x");
        String barnesHut = ProjectionCache.key("single", new CudaTsne(0), p, "x");
        assertNotEquals(exact, barnesHut, "hav.cuda.exactMaxN changes the result, so the key");
        assertNotEquals(cpu, exact);
    }
}
