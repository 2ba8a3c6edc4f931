package org.hiddenactivity.bundling;

/**
 * Parameters of {@link Kdeeb} edge bundling, each documented once with its default and range. Lengths are
 * fractions of the larger side of the bounding box of all trails, so they do not depend on the data's units.
 *
 * @param enabled          false: {@link Kdeeb#bundle} returns copies of the input trails (default true)
 * @param iterations       blur / advect / smooth / resample rounds (default 10; 0 behaves as disabled, >= 0)
 * @param initialBandwidth standard deviation of the Gaussian kernel in the first round (default 0.05, > 0)
 * @param decay            bandwidth multiplier per round, so the kernel shrinks (default 0.8, in (0, 1])
 * @param step             largest distance a point moves per round, as a fraction of the current bandwidth
 *                         (default 1.0, >= 0); within it a point moves by mean-shift sub-steps
 * @param resolution       side of the density image in pixels (default 256, 16..4096)
 * @param smoothing        Laplacian smoothing weight per pass, 0 = none, 1 = move to the neighbours' midpoint;
 *                         each round makes max(1, round(bandwidth / (2 resampleStep))) passes (default 0.5, [0, 1])
 * @param resampleStep     spacing of the points along a trail (default 0.005, > 0)
 * @param vertexAnchoring  per round, how far each point is pulled back to where it lay on the unbundled trail
 *                         (same position along the trail), 0 = free, 1 = no bundling (default 0, in [0, 1])
 */
public record BundlingParameters(boolean enabled, int iterations, double initialBandwidth, double decay, double step,
                                 int resolution, double smoothing, double resampleStep, double vertexAnchoring) {
    public BundlingParameters {
        check(iterations >= 0, "iterations must be >= 0, got " + iterations);
        check(initialBandwidth > 0 && Double.isFinite(initialBandwidth), "initialBandwidth must be > 0, got "
                + initialBandwidth);
        check(decay > 0 && decay <= 1, "decay must be in (0, 1], got " + decay);
        check(step >= 0 && Double.isFinite(step), "step must be >= 0, got " + step);
        check(resolution >= 16 && resolution <= 4096, "resolution must be in 16..4096, got " + resolution);
        check(smoothing >= 0 && smoothing <= 1, "smoothing must be in [0, 1], got " + smoothing);
        check(resampleStep > 0 && Double.isFinite(resampleStep), "resampleStep must be > 0, got " + resampleStep);
        check(vertexAnchoring >= 0 && vertexAnchoring <= 1, "vertexAnchoring must be in [0, 1], got "
                + vertexAnchoring);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static BundlingParameters defaults() {
        return new BundlingParameters(true, 10, 0.05, 0.8, 1.0, 256, 0.5, 0.005, 0.0);
    }

    /** Bundling switched off: trails are returned unchanged (copied). */
    public static BundlingParameters off() {
        return defaults().withEnabled(false);
    }

    public BundlingParameters withEnabled(boolean v) {
        return new BundlingParameters(v, iterations, initialBandwidth, decay, step, resolution, smoothing, resampleStep,
                vertexAnchoring);
    }

    public BundlingParameters withIterations(int v) {
        return new BundlingParameters(enabled, v, initialBandwidth, decay, step, resolution, smoothing, resampleStep,
                vertexAnchoring);
    }

    public BundlingParameters withInitialBandwidth(double v) {
        return new BundlingParameters(enabled, iterations, v, decay, step, resolution, smoothing, resampleStep,
                vertexAnchoring);
    }

    public BundlingParameters withVertexAnchoring(double v) {
        return new BundlingParameters(enabled, iterations, initialBandwidth, decay, step, resolution, smoothing,
                resampleStep, v);
    }

    public BundlingParameters withResolution(int v) {
        return new BundlingParameters(enabled, iterations, initialBandwidth, decay, step, v, smoothing, resampleStep,
                vertexAnchoring);
    }
}
