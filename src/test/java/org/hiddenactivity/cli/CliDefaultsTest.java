package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.projection.TsneBackends;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/** Each default is written once, in the engine: a fresh command's options are exactly the engine's defaults. */
class CliDefaultsTest {
    private static final TsneParameters ENGINE = TsneParameters.defaults();

    @Test
    void analysisOptionsAreTheEngineDefaults() {
        AnalysisArgs args = new AnalysisArgs();
        AnalysisOptions options = args.toOptions(new CommonOptions());
        assertEquals(ENGINE, options.tsne());
        assertEquals(ENGINE, options.tsneParameters(), "seed and threads included");
        assertEquals(TsneBackends.DEFAULT, options.backend());
        assertEquals(AnalysisOptions.DEFAULT_SIZE, options.size());
        assertEquals(AnalysisOptions.DEFAULT_IMAGE_SIZE, options.imageSize());
    }

    @Test
    void tsneCommandIsTheEngineDefaults() {
        TsneCommand tsne = new TsneCommand();
        assertEquals(ENGINE, tsne.parameters());
        assertEquals(TsneBackends.DEFAULT, tsne.io.backend);
    }

    @Test
    void neuronsCommandAndReportLayOutNeuronsAlike() {
        // hav neurons defaulted to MDS while the report used t-SNE (issue 20)
        assertEquals(new AnalysisCommands.Report().neuronLayout, new AnalysisCommands.Neurons().neuronLayout);
        assertEquals("tsne", new AnalysisCommands.Neurons().neuronLayout);
    }

    @Test
    void benchCommandIsTheEngineDefaults() {
        BenchCommand bench = new BenchCommand();
        assertEquals(ENGINE.perplexity(), bench.perplexity);
        assertEquals(ENGINE.maxIter(), bench.iterations);
        assertEquals(ENGINE.randomState(), bench.seed);
    }

    @Test
    void changedOptionsReachTheParameters() {
        AnalysisArgs args = new AnalysisArgs();
        args.tsne.perplexity = 12.5;
        args.tsne.iterations = 321;
        args.seed = 9;
        args.threads = 3;
        TsneParameters p = args.toOptions(new CommonOptions()).tsneParameters();
        assertEquals(ENGINE.withPerplexity(12.5).withMaxIter(321).withRandomState(9).withThreads(3), p);
    }
}
