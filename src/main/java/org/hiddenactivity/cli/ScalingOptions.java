package org.hiddenactivity.cli;

import java.util.Locale;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.TsneParameters;

/** The values of {@code --repulsion} and {@code --neighbours}, shared by the commands that run t-SNE. */
final class ScalingOptions {
    static final String REPULSION_HELP = "CPU repulsion: auto (Barnes-Hut; see ScalableChoices), bh, fft (FIt-SNE interpolation) or exact";
    static final String NEIGHBOURS_HELP = "CPU kNN of P: auto (exact, approximate HNSW for large N x D), exact or approximate";

    private ScalingOptions() {}

    static TsneParameters.Repulsion repulsion(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> TsneParameters.Repulsion.AUTO;
            case "bh", "barnes-hut" -> TsneParameters.Repulsion.BARNES_HUT;
            case "fft" -> TsneParameters.Repulsion.FFT;
            case "exact" -> TsneParameters.Repulsion.EXACT;
            default -> throw new HavException("--repulsion " + value, "unknown repulsion", "use auto, bh, fft or exact");
        };
    }

    static TsneParameters.NeighbourSearch neighbours(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> TsneParameters.NeighbourSearch.AUTO;
            case "exact" -> TsneParameters.NeighbourSearch.EXACT;
            case "approximate", "hnsw" -> TsneParameters.NeighbourSearch.APPROXIMATE;
            default -> throw new HavException("--neighbours " + value, "unknown neighbour search",
                    "use auto, exact or approximate");
        };
    }

    /** {@code params} with both choices applied. */
    static TsneParameters apply(TsneParameters params, String repulsion, String neighbours) {
        return params.withRepulsion(repulsion(repulsion)).withNeighbourSearch(neighbours(neighbours));
    }
}
