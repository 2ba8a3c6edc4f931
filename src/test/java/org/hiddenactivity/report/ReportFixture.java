package org.hiddenactivity.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;

/**
 * One small report of the shipped MLP (300 observations, 6 checkpoints, 512 px figures), built once per test JVM
 * under target/ so that a person can open it (and the browser tests' screenshots) after the run.
 */
final class ReportFixture {
    static final int SIZE = 300;
    static final Path DIR = Path.of("target", "test-report", "mnist_mlp").toAbsolutePath();
    private static ReportBuilder.Written written;

    private ReportFixture() {}

    static synchronized ReportBuilder.Written mnistMlp() {
        if (written == null) {
            delete(DIR);
            AnalysisOptions options = new AnalysisOptions("mnist_mlp", null, null, SIZE, 0, null, "cpu", 0, false, true,
                    512, TsneParameters.defaults().withMaxIter(400), true, 0.1, DIR.resolveSibling("cache"));
            try (AnalysisContext ctx = AnalysisContext.open(options)) {
                written = ReportBuilder.run(ctx, new ReportBuilder.Plan(Alignment.CHAINED, Alignment.JOINT, null, null,
                        NeuronAnalysis.Layout.TSNE), DIR.resolve("report"));
            }
        }
        return written;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
