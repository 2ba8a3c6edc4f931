package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.analysis.Analysis;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.AnalysisRun;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.analysis.Output;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new analysis needs nothing but its class and its registration: the report runs it, writes the files its
 * result declares, records its numbers in report.json and gives it a section on the page (issue 20).
 */
class NewAnalysisTest {
    @TempDir
    Path tmp;

    /** The share of the last layer's units that never fire at the last checkpoint, computed here by hand. */
    record DeadShare(int layer, double share) implements Analysis.Result {
        @Override
        public Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("dead_share", share);
            return m;
        }

        @Override
        public List<Output> outputs(AnalysisContext ctx) {
            return List.of(new Output.Data("dead_share.txt", f -> AtomicFiles.writeString(f, share + "\n")));
        }
    }

    record LayerInput(int layer, int epoch) {}

    static final Analysis<LayerInput, DeadShare> DEAD_SHARE = new Analysis<>() {
        @Override
        public String id() {
            return "dead_share";
        }

        @Override
        public LayerInput inputs(AnalysisRun run) {
            return new LayerInput(run.selection().layerOr(run.ctx()), run.selection().epochOr(run.ctx()));
        }

        @Override
        public DeadShare compute(AnalysisContext ctx, LayerInput in) {
            var acts = ctx.activations(in.epoch(), in.layer()).values();
            int dead = 0;
            for (int j = 0; j < acts.cols(); j++) {
                boolean fires = false;
                for (int i = 0; i < acts.rows() && !fires; i++) {
                    fires = acts.get(i, j) != 0f;
                }
                dead += fires ? 0 : 1;
            }
            return new DeadShare(in.layer(), (double) dead / acts.cols());
        }
    };

    @Test
    void aRegisteredAnalysisReachesTheFilesReportJsonAndThePage() throws Exception {
        AnalysisOptions options = AnalysisOptions.builder("mnist_mlp", tmp.resolve("cache")).size(60)
                .backend("cpu").quiet(true).imageSize(256)
                .tsne(TsneParameters.builder().maxIter(250).build()).build();
        List<Analysis<?, ?>> analyses = new ArrayList<>(ReportBuilder.ANALYSES);
        analyses.add(DEAD_SHARE);
        ReportBuilder.Written w;
        double expected;
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            w = ReportBuilder.run(ctx, new ReportBuilder.Plan(Alignment.JOINT, Alignment.JOINT, List.of(0, 100), null,
                    NeuronAnalysis.Layout.TSNE, ReportBuilder.ProjectorTensors.NONE), tmp.resolve("report"),
                    analyses);
            expected = DEAD_SHARE.compute(ctx, new LayerInput(ctx.layerCount(), ctx.model().lastEpoch())).share();
        }
        JsonNode json = new ObjectMapper().readTree(w.json().toFile());
        assertEquals(expected, json.at("/results/dead_share/dead_share").asDouble(), 0.0);
        assertEquals(4, json.at("/results/dead_share/layer").asInt());
        assertEquals(expected + "\n", Files.readString(tmp.resolve("report/figures/dead_share.txt")));
        String html = Files.readString(w.index());
        assertTrue(html.contains("id=\"dead_share\""), "no section for the new analysis");
        assertTrue(html.contains("dead_share-table"), "its numbers are not on the page");
    }
}
