package org.hiddenactivity.projection;

/**
 * The t-SNE gradient in 2-D with the repulsion and Z from {@link FftRepulsion} (FIt-SNE's interpolation and FFT
 * convolution, O(N) per call for a bounded grid) and the attraction exact over the sparse P. The KL it returns uses
 * the interpolated Z. Deterministic for any thread count (see {@link FftRepulsion}). Close it to free the FFT buffers.
 */
final class FftGradient implements Gradient, AutoCloseable {
    private final Affinities p;
    private final Workers workers;
    private final FftRepulsion repulsion;
    private final double[] rep;
    private final Gradient.Scratch2d attraction;
    private final double totalP;

    FftGradient(Affinities p, Workers workers) {
        this.p = p;
        this.workers = workers;
        int n = p.n();
        repulsion = new FftRepulsion(n, workers);
        rep = new double[2 * n];
        attraction = Gradient.Scratch2d.of(n);
        totalP = Gradient.totalP(p);
    }

    @Override
    public double compute(double[] y, double exaggeration, boolean computeKl, double[] grad) {
        double z = repulsion.repulsion(y, rep);
        return Gradient.withAttraction2d(p, y, exaggeration, computeKl, rep, z, totalP, attraction, workers,
                grad);
    }

    /** Frees the FFT buffers. */
    @Override
    public void close() {
        repulsion.close();
    }
}
