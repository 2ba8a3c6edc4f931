package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import org.hiddenactivity.projection.UmapParameters;

/** The UMAP options of the commands that can project with UMAP, named as umap-learn names them. */
final class UmapOptions {
    private static final UmapParameters ENGINE = UmapParameters.defaults();

    @Parameter(names = "--n-neighbors", description = "UMAP neighbourhood size, the point itself included")
    int nNeighbors = ENGINE.nNeighbors();

    @Parameter(names = "--min-dist", description = "UMAP smallest distance between embedded points")
    double minDist = ENGINE.minDist();

    @Parameter(names = "--spread", description = "UMAP scale of the embedded points")
    double spread = ENGINE.spread();

    @Parameter(names = "--umap-epochs", description = "UMAP epochs (0 = 500 up to 10000 points, 300 above; umap-learn takes 200 above)")
    int epochs = ENGINE.nEpochs();

    /** The parameters with this seed, thread count and neighbour search (t-SNE's --neighbours). */
    UmapParameters parameters(long seed, int threads, String neighbours) {
        return UmapParameters.builder().nNeighbors(nNeighbors).minDist(minDist).spread(spread).nEpochs(epochs)
                .randomState(seed).threads(threads).neighbourSearch(ScalingOptions.neighbours(neighbours)).build();
    }
}
