package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report with a second projection method: its sequences reach the explorer and report.json, its figures do not. */
class OtherProjectionsReportTest {
    @TempDir
    Path tmp;

    @Test
    void pcaBesideTsneAddsSequencesWithTheSameIdsAndItsNumbers() throws Exception {
        AnalysisOptions options = AnalysisOptions.builder("mnist_mlp", tmp.resolve("cache")).size(120)
                .backend("cpu").quiet(true).imageSize(256)
                .tsne(TsneParameters.builder().maxIter(250).build()).build();
        ReportBuilder.Written w;
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            w = ReportBuilder.run(ctx, new ReportBuilder.Plan(Alignment.JOINT, Alignment.JOINT, List.of(0, 100), null,
                    NeuronAnalysis.Layout.TSNE, ReportBuilder.ProjectorTensors.NONE,
                    List.of(Projection.Method.PCA)), tmp.resolve("report"));
        }
        JsonNode json = new ObjectMapper().readTree(w.json().toFile());
        JsonNode pca = json.at("/results/other_projections/pca");
        assertEquals("pca", pca.at("/projection/method").asText(), pca.toString());
        assertEquals(json.at("/results/layers/steps").size(), pca.at("/layers/steps").size());
        assertEquals(2, pca.at("/epochs/steps").size());
        assertEquals("tsne", json.at("/projection/method").asText());
        // PCA of the same activations is another map: its hits are its own, not copies of t-SNE's
        assertFalse(pca.at("/layers/steps/0/neighbourhood_hit_k6").equals(
                json.at("/results/layers/steps/0/neighbourhood_hit_k6")));

        String data = Files.readString(w.index().resolveSibling("explorer/data.js"));
        JsonNode explorer = new ObjectMapper().readTree(data.substring(data.indexOf('=') + 1, data.lastIndexOf(';')));
        List<String> seqs = new ArrayList<>();
        explorer.get("sequences").forEach(s -> seqs.add(s.get("id").asText() + "/" + s.get("method").asText()));
        assertEquals(List.of("layers/tsne", "epochs/tsne", "layers/pca", "epochs/pca"), seqs);

        // the files in figures/ are the first method's (the other method's would have the same names)
        JsonNode layersFile = new ObjectMapper().readTree(w.index().resolveSibling("figures")
                .resolve("layers_epoch100.json").toFile());
        assertEquals(json.at("/results/layers/steps"), layersFile.at("/results/steps"));
    }
}
