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
import org.hiddenactivity.core.StagedOutput;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.ScalableChoices;
import org.hiddenactivity.projection.TsneBackends;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.TsneProjection;
import org.hiddenactivity.projection.UmapParameters;

@Parameters(commandNames = "embed", commandDescription = "Projection of an .npy matrix (rows = points) to 2-D by t-SNE, UMAP or PCA, with quality metrics")
final class EmbedCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(names = "--method", description = "tsne, umap or pca")
    String method = Projection.Method.DEFAULT.id();

    @ParametersDelegate
    InputOutput io = new InputOutput();

    @ParametersDelegate
    TsneOptions tsne = new TsneOptions();

    @ParametersDelegate
    UmapOptions umap = new UmapOptions();

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        Projection.Method m = Projection.Method.parse(method, "--method");
        TsneParameters tp = tsne.parameters(io.seed, io.threads);  // bad values are refused before any file is read
        UmapParameters up = umap.parameters(io.seed, io.threads, tsne.neighbours);
        return run(m, tp, up, tsne, io, common);
    }

    /** The options of tsne and embed besides the methods' own. */
    static final class InputOutput {
        @Parameter(names = "--input", required = true, converter = LocalePathConverter.class, description = "N x D .npy matrix (used as is; not z-scored)")
        Path input;

        @Parameter(names = "--labels", converter = LocalePathConverter.class, description = "N labels (.npy) for the neighbourhood hit")
        Path labels;

        @Parameter(names = "--out", required = true, description = "Where to write the N x 2 embedding (.npy, float32)")
        Path out;

        @Parameter(names = "--seed", description = "Random seed")
        long seed = TsneParameters.defaults().randomState();

        @Parameter(names = "--backend", description = "t-SNE backend: cpu, cuda or auto")
        String backend = TsneBackends.DEFAULT;

        @Parameter(names = "--threads", description = "CPU threads (0 = all cores)")
        int threads = TsneParameters.defaults().threads();

        @Parameter(names = "--no-metrics", description = "Skip the quality metrics")
        boolean noMetrics;
    }

    /** Runs one projection of --input and prints its outcome (hav tsne and hav embed). */
    static int run(Projection.Method method, TsneParameters tp, UmapParameters up, TsneOptions tsne, InputOutput io,
                   CommonOptions common) throws Exception {
        if (tsne.initFromFile() && method != Projection.Method.TSNE) {
            throw new HavException("--init " + tsne.init, "starting points are a t-SNE option", "use --method tsne");
        }
        StagedOutput.checkWritableFile(io.out, "--out");
        // t-SNE and UMAP are scale-free: float64 input is rescaled before narrowing; PCA's coordinates keep the input's scale
        FloatMatrix x = method == Projection.Method.PCA ? Npy.readMatrix(io.input) : Npy.readMatrixRescaled(io.input);
        int[] y = io.labels == null ? null : Npy.readLabels(io.labels);
        if (y != null && y.length != x.rows()) {
            throw new HavException(io.labels.toString(), y.length + " labels for " + x.rows() + " points in "
                    + io.input, "give one label per row");
        }
        FloatMatrix initial = tsne.initialPoints();
        Embedding e;
        Map<String, Object> result = new LinkedHashMap<>();
        Metrics.Report quality = null;
        long metricsStart;
        try (Projection p = Projection.create(method, tp, up, io.backend);
             Progress progress = Progress.start(method.id() + " " + x.rows() + " points", p.steps(x.rows()),
                     common.quiet)) {
            e = p.fit(x, initial, progress);
            result.put("method", method.id());
            result.put("input", io.input.toString());
            result.put("out", io.out.toString());
            result.put("n", x.rows());
            result.put("d", x.cols());
            result.put("backend", e.backend());
            result.put("device", e.device());
            result.put("seed", io.seed);
            result.put("seconds", e.seconds());
            if (p instanceof TsneProjection) {
                result.put("perplexity", e.perplexity());
                result.put("iterations", tp.maxIter());
                result.put("init", initial != null ? tsne.init : tp.init().name().toLowerCase(java.util.Locale.ROOT));
                result.put("learning_rate", tp.effectiveLearningRate(x.rows()));
                result.put("early_exaggeration", tp.earlyExaggeration());
                result.put("exaggeration_iterations", tp.earlyExaggerationIter());
                result.put("theta", tp.angle());
                result.put("metric", tp.metric().name().toLowerCase(java.util.Locale.ROOT));
                if (e.backend().equals("cpu")) {
                    result.put("repulsion", ScalableChoices.repulsion(tp, x.rows()).name());
                    result.put("neighbour_search", ScalableChoices.neighbourSearch(tp.neighbourSearch(), x.rows(),
                            x.cols()).name());
                }
                result.put("kl_divergence_backend", e.klDivergence());
                result.put("kl_divergence_backend_exact", e.klExact());
            } else {
                result.put("settings", p.settings());
            }
            metricsStart = System.nanoTime();
            if (!io.noMetrics) {
                quality = p.quality(x, e, y, io.threads);
            }
        }
        if (quality != null) {
            String tooFew = x.rows() + " points are too few for it";
            JsonValues.putMetric(result, "kl_divergence", quality.klDivergence(), JsonValues.NOT_COMPUTABLE);
            result.put("kl_exact", quality.klExact());
            JsonValues.putMetric(result, "trustworthiness", quality.trustworthiness(), tooFew
                    + " (it needs k >= 1 neighbours with 3k < 2n - 1)");
            JsonValues.putMetric(result, "knn_preservation", quality.knnPreservation(), tooFew);
            result.put("metrics_neighbours_approximate", quality.neighboursApproximate());
            if (y != null) {
                JsonValues.putMetric(result, "neighbourhood_hit", quality.neighbourhoodHit(), tooFew);
            }
            result.put("metrics_seconds", (System.nanoTime() - metricsStart) / 1e9);
        }
        // written last: a failure above leaves no output behind
        Npy.write(io.out, e.points());
        if (common.json) {
            System.out.println(new ObjectMapper().writeValueAsString(JsonValues.finite(result)));
        } else {
            result.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v instanceof Double d
                    ? String.format(java.util.Locale.ROOT, "%.4f", d) : v));
        }
        return 0;
    }
}
