package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.JCommander;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/** scikit-learn's and openTSNE's t-SNE options reach TsneParameters on tsne, embed and the analysis commands. */
class TsneOptionsTest {
    private static final String[] COMMON = {"--init", "random", "--learning-rate", "200", "--early-exaggeration", "8",
            "--exaggeration-iterations", "100", "--theta", "0.3", "--metric", "cosine", "--perplexity", "12",
            "--iterations", "400"};

    private static void expectAll(TsneParameters p) {
        assertEquals(TsneParameters.Init.RANDOM, p.init());
        assertEquals(200, p.learningRate());
        assertEquals(8, p.earlyExaggeration());
        assertEquals(100, p.earlyExaggerationIter());
        assertEquals(0.3, p.angle());
        assertEquals(TsneParameters.Metric.COSINE, p.metric());
        assertEquals(12, p.perplexity());
        assertEquals(400, p.maxIter());
    }

    private static String[] with(String... more) {
        String[] all = new String[COMMON.length + more.length];
        System.arraycopy(COMMON, 0, all, 0, COMMON.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }

    @Test
    void tsneCommand() {
        TsneCommand c = new TsneCommand();
        JCommander.newBuilder().addObject(c).build().parse(with("--input", "x.npy", "--out", "y.npy"));
        expectAll(c.parameters());
    }

    @Test
    void embedCommand() {
        EmbedCommand c = new EmbedCommand();
        JCommander.newBuilder().addObject(c).build().parse(with("--input", "x.npy", "--out", "y.npy", "--method",
                "umap", "--n-neighbors", "7", "--min-dist", "0.25", "--umap-epochs", "50"));
        expectAll(c.tsne.parameters(0, 0));
        var u = c.umap.parameters(5, 2, c.tsne.neighbours);
        assertEquals(7, u.nNeighbors());
        assertEquals(0.25, u.minDist());
        assertEquals(50, u.nEpochs());
        assertEquals(5, u.randomState());
    }

    @Test
    void analysisCommands() {
        AnalysisCommands.Project c = new AnalysisCommands.Project();
        JCommander.newBuilder().addObject(c).build().parse(with("--projection", "pca", "--seed", "4"));
        AnalysisOptions o = c.args.toOptions(new CommonOptions());
        expectAll(o.tsne());
        assertEquals(Projection.Method.PCA, o.projection());
        assertEquals(4, o.tsneParameters().randomState());
        assertEquals(4, o.umapParameters().randomState());
    }

    @Test
    void defaultsAndBadValues() {
        assertEquals(TsneParameters.AUTO, new TsneOptions().parameters(0, 0).learningRate());
        TsneOptions o = new TsneOptions();
        o.learningRate = "fast";
        assertTrue(assertThrows(HavException.class, () -> o.parameters(0, 0)).getMessage().contains("--learning-rate"));
        TsneOptions m = new TsneOptions();
        m.metric = "manhattan";
        assertTrue(assertThrows(HavException.class, () -> m.parameters(0, 0)).getMessage().contains("--metric"));
        AnalysisArgs a = new AnalysisArgs();
        a.tsne.init = "start.npy";
        assertTrue(assertThrows(HavException.class, () -> a.toOptions(new CommonOptions())).getMessage()
                .contains("--init start.npy"));
    }
}
