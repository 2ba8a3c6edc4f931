package org.hiddenactivity.projection;

import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;

/**
 * One t-SNE engine (CPU or CUDA) with the semantics of docs/design.md. Both backends pass the same tests (the
 * abstract TsneBackendContract, run for the CPU always and for CUDA with -Dhav.gpu.tests=true), take their input
 * through {@link TsneInput} (checks and messages, the small-input rule, rescaling) and build P with the one rule of
 * {@link Affinities}. z-scoring is the caller's choice (the analyses do it).
 */
public interface TsneBackend extends AutoCloseable {
    /** "cpu" or "cuda". */
    String name();

    /** Whether this backend can run here, and if not, why. */
    Availability availability();

    /**
     * Embeds {@code data} (N x D, finite values).
     *
     * @param initial N x nComponents starting points, or null to use {@code params.init()}
     */
    Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress);

    /**
     * Dynamic t-SNE (Rauber, Falcao, Telea, EuroVis 2016): all snapshots (same N rows, any D) optimised together,
     * minimising sum_t KL(P_t || Q_t) + lambda / (2N) sum_t sum_i ||y_i^t - y_i^(t+1)||^2.
     * lambda = 0 gives independent projections.
     */
    List<Embedding> embedDynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda, Progress progress);

    /**
     * Settings of this backend besides {@link TsneParameters} that change its results (e.g. CUDA's exact-repulsion
     * threshold), for provenance and cache keys; empty when there are none (CPU threads do not change results).
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    @Override
    default void close() {}

    /** @param reason empty when available; otherwise what is missing and what to do */
    record Availability(boolean available, String device, String reason) {
        public static Availability yes(String device) { return new Availability(true, device, ""); }

        public static Availability no(String reason) { return new Availability(false, "", reason); }
    }
}
