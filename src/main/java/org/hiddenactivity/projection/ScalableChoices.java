package org.hiddenactivity.projection;

/**
 * What {@link TsneParameters.Repulsion#AUTO} and {@link TsneParameters.NeighbourSearch#AUTO} pick on the CPU, by the
 * number of points (and, for the neighbours, the dimension). The crossovers were measured on the 2-core development
 * machine (benchmarks/README.md, "Crossovers"): where both methods cost the same, the exact or more precise one wins.
 */
public final class ScalableChoices {
    /**
     * From this many points on, AUTO would use the FFT interpolation repulsion. None: on the 2-core machine it was
     * not faster than Barnes-Hut at 5000 to 20000 points (the grid follows the map's extent, 150 to 250 units at
     * scikit-learn's learning rate, so each call costs 4 OpenCV FFTs of about 1000 x 1000 whatever N is), and its
     * maps had a 5 % higher KL (benchmarks/README.md, "Crossovers"). FFT stays available as --repulsion fft.
     */
    public static final int FFT_MIN_POINTS = Integer.MAX_VALUE;
    /**
     * From this many points on, AUTO uses the HNSW search. At 60000 z-scored MNIST images (D = 784) the exact tiled
     * search was the faster one (timings with date and load: benchmarks/README.md); exact grows as N^2, HNSW about
     * as N log N, so they meet near 200000 points (extrapolated, not measured: no input that large was run).
     */
    public static final int APPROXIMATE_MIN_POINTS = 200_000;
    /** Below this dimension the exact search stays: the HNSW gain shrinks with D while its recall loss does not. */
    public static final int APPROXIMATE_MIN_DIMENSIONS = 16;

    private ScalableChoices() {}

    /** The repulsion CpuTsne uses: exact for angle 0 or an output other than 2-D, else the choice or the auto rule. */
    public static TsneParameters.Repulsion repulsion(TsneParameters params, int n) {
        if (params.nComponents() != 2 || params.angle() == 0 || params.repulsion() == TsneParameters.Repulsion.EXACT) {
            return TsneParameters.Repulsion.EXACT;
        }
        if (params.repulsion() != TsneParameters.Repulsion.AUTO) {
            return params.repulsion();
        }
        return n >= FFT_MIN_POINTS ? TsneParameters.Repulsion.FFT : TsneParameters.Repulsion.BARNES_HUT;
    }

    /** The neighbour search for n points in d dimensions: the choice, or approximate for large n and d. */
    public static TsneParameters.NeighbourSearch neighbourSearch(TsneParameters.NeighbourSearch choice, int n, int d) {
        if (choice != TsneParameters.NeighbourSearch.AUTO) {
            return choice;
        }
        return n >= APPROXIMATE_MIN_POINTS && d >= APPROXIMATE_MIN_DIMENSIONS
                ? TsneParameters.NeighbourSearch.APPROXIMATE : TsneParameters.NeighbourSearch.EXACT;
    }
}
