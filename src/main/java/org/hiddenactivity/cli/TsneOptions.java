package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;
import java.util.Locale;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.projection.TsneParameters;

/**
 * The t-SNE options of every command that runs t-SNE (tsne, embed, the analyses, report), named as scikit-learn and
 * openTSNE name them; unset ones keep the engine's defaults ({@link TsneParameters#builder()}).
 */
final class TsneOptions {
    private static final TsneParameters ENGINE = TsneParameters.defaults();

    @Parameter(names = "--perplexity", description = "t-SNE perplexity (lowered to (N-1)/3 for tiny inputs, with a warning)")
    double perplexity = ENGINE.perplexity();

    @Parameter(names = "--iterations", description = "t-SNE iterations in all, early exaggeration included (scikit-learn's max_iter)")
    int iterations = ENGINE.maxIter();

    @Parameter(names = "--init", description = "t-SNE start: pca, random, or FILE.npy (N x 2 points; hav tsne and hav embed only)")
    String init = "pca";

    @Parameter(names = "--learning-rate", description = "t-SNE learning rate: auto (max(N / (4 x early exaggeration), 50), scikit-learn's) or a number > 0")
    String learningRate = "auto";

    @Parameter(names = "--early-exaggeration", description = "t-SNE factor on P during early exaggeration")
    double earlyExaggeration = ENGINE.earlyExaggeration();

    @Parameter(names = "--exaggeration-iterations", description = "t-SNE iterations with early exaggeration (default min(250, --iterations); openTSNE's early_exaggeration_iter)")
    Integer exaggerationIterations;

    @Parameter(names = "--theta", description = "Barnes-Hut opening angle (scikit-learn's angle); 0 = exact gradient")
    double theta = ENGINE.angle();

    @Parameter(names = "--metric", description = "t-SNE input distance: euclidean or cosine")
    String metric = "euclidean";

    @Parameter(names = "--repulsion", description = ScalingOptions.REPULSION_HELP)
    String repulsion = "auto";

    @Parameter(names = "--neighbours", description = ScalingOptions.NEIGHBOURS_HELP)
    String neighbours = "auto";

    /** The parameters these options give with this seed and thread count (checked by TsneParameters). */
    TsneParameters parameters(long seed, int threads) {
        TsneParameters.Builder b = TsneParameters.builder().perplexity(perplexity).maxIter(iterations)
                .learningRate(learningRate()).earlyExaggeration(earlyExaggeration).angle(theta).init(initMethod())
                .metric(metric()).randomState(seed).threads(threads)
                .repulsion(ScalingOptions.repulsion(repulsion)).neighbourSearch(ScalingOptions.neighbours(neighbours));
        if (exaggerationIterations != null) {
            b.earlyExaggerationIter(exaggerationIterations);
        }
        return b.build();
    }

    /** Whether --init names a file of starting points. */
    boolean initFromFile() {
        String v = init.toLowerCase(Locale.ROOT);
        return !v.equals("pca") && !v.equals("random");
    }

    /** The starting points of --init FILE.npy, or null for pca and random. */
    FloatMatrix initialPoints() {
        return initFromFile() ? Npy.readMatrix(Path.of(init)) : null;
    }

    private TsneParameters.Init initMethod() {
        return init.equalsIgnoreCase("random") ? TsneParameters.Init.RANDOM : TsneParameters.Init.PCA;
    }

    private double learningRate() {
        if (learningRate.equalsIgnoreCase("auto")) {
            return TsneParameters.AUTO;
        }
        double v;
        try {
            v = Double.parseDouble(learningRate);
        } catch (NumberFormatException e) {
            throw new HavException("--learning-rate " + learningRate, "not a number", "give auto or a number > 0");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new HavException("--learning-rate " + learningRate, "must be auto or a finite number > 0",
                    "give auto or e.g. 200");
        }
        return v;
    }

    private TsneParameters.Metric metric() {
        return switch (metric.toLowerCase(Locale.ROOT)) {
            case "euclidean" -> TsneParameters.Metric.EUCLIDEAN;
            case "cosine" -> TsneParameters.Metric.COSINE;
            default -> throw new HavException("--metric " + metric, "unknown metric", "use euclidean or cosine");
        };
    }
}
