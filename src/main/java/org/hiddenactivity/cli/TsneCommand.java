package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.JsonValues;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneBackends;
import org.hiddenactivity.projection.TsneParameters;

@Parameters(commandNames = "tsne", commandDescription = "t-SNE of an .npy matrix (rows = points), with quality metrics")
final class TsneCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(names = "--input", required = true, converter = LocalePathConverter.class, description = "N x D .npy matrix (used as is; not z-scored)")
    Path input;

    @Parameter(names = "--labels", converter = LocalePathConverter.class, description = "N labels (.npy) for the neighbourhood hit")
    Path labels;

    @Parameter(names = "--out", required = true, description = "Where to write the N x 2 embedding (.npy, float32)")
    Path out;

    @Parameter(names = "--perplexity", description = "Perplexity (lowered to (N-1)/3 for tiny inputs)")
    double perplexity = TsneParameters.defaults().perplexity();

    @Parameter(names = "--seed", description = "Random seed")
    long seed = TsneParameters.defaults().randomState();

    @Parameter(names = "--iterations", description = "Iterations, early exaggeration included")
    int iterations = TsneParameters.defaults().maxIter();

    @Parameter(names = "--backend", description = "cpu, cuda or auto")
    String backend = TsneBackends.DEFAULT;

    @Parameter(names = "--threads", description = "CPU threads (0 = all cores)")
    int threads = TsneParameters.defaults().threads();

    @Parameter(names = "--no-metrics", description = "Skip the quality metrics")
    boolean noMetrics;

    /** The t-SNE parameters of these options (checked by TsneParameters, as for every command). */
    TsneParameters parameters() {
        return ScalingOptions.apply(TsneParameters.defaults().withPerplexity(perplexity).withRandomState(seed)
                .withMaxIter(iterations).withThreads(threads), repulsion, neighbours);
    }

    @Parameter(names = "--repulsion", description = ScalingOptions.REPULSION_HELP)
    String repulsion = "auto";

    @Parameter(names = "--neighbours", description = ScalingOptions.NEIGHBOURS_HELP)
    String neighbours = "auto";

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        TsneParameters params = parameters();  // bad values are refused before any file is read
        org.hiddenactivity.core.StagedOutput.checkWritableFile(out, "--out");
        FloatMatrix x = Npy.readMatrixRescaled(input);  // t-SNE is scale-free: float64 is rescaled before narrowing
        int[] y = labels == null ? null : Npy.readLabels(labels);
        if (y != null && y.length != x.rows()) {
            throw new HavException(labels.toString(), y.length + " labels for " + x.rows() + " points in " + input,
                    "give one label per row");
        }
        Embedding e;
        try (TsneBackend b = TsneBackends.select(backend, threads);
             Progress progress = Progress.start("t-SNE " + x.rows() + " points", iterations, common.quiet)) {
            e = b.embed(x, params, null, progress);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("input", input.toString());
        result.put("out", out.toString());
        result.put("n", x.rows());
        result.put("d", x.cols());
        result.put("backend", e.backend());
        result.put("device", e.device());
        result.put("perplexity", e.perplexity());
        result.put("seed", seed);
        result.put("iterations", iterations);
        result.put("seconds", e.seconds());
        if (e.backend().equals("cpu")) {
            result.put("repulsion", org.hiddenactivity.projection.ScalableChoices.repulsion(params, x.rows()).name());
            result.put("neighbour_search", org.hiddenactivity.projection.ScalableChoices
                    .neighbourSearch(params.neighbourSearch(), x.rows(), x.cols()).name());
        }
        result.put("kl_divergence_backend", e.klDivergence());
        result.put("kl_divergence_backend_exact", e.klExact());
        if (!noMetrics) {
            long t0 = System.nanoTime();
            Metrics.Report m = Metrics.evaluate(x, e.points(), y, e.perplexity(), threads);
            String tooFew = x.rows() + " points are too few for it";
            JsonValues.putMetric(result, "kl_divergence", m.klDivergence(), JsonValues.NOT_COMPUTABLE);
            result.put("kl_exact", m.klExact());
            JsonValues.putMetric(result, "trustworthiness", m.trustworthiness(), tooFew
                    + " (it needs k >= 1 neighbours with 3k < 2n - 1)");
            JsonValues.putMetric(result, "knn_preservation", m.knnPreservation(), tooFew);
            result.put("metrics_neighbours_approximate", m.neighboursApproximate());
            if (y != null) {
                JsonValues.putMetric(result, "neighbourhood_hit", m.neighbourhoodHit(), tooFew);
            }
            result.put("metrics_seconds", (System.nanoTime() - t0) / 1e9);
        }
        // written last: a failure above leaves no output behind
        Npy.write(out, e.points());
        if (common.json) {
            System.out.println(new ObjectMapper().writeValueAsString(JsonValues.finite(result)));
        } else {
            result.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v instanceof Double d ? String.format("%.4f", d) : v));
        }
        return 0;
    }
}
