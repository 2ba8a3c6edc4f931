package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/**
 * The result of one t-SNE run.
 *
 * @param points       N x nComponents coordinates
 * @param klDivergence KL(P || Q) of the final embedding ({@link Metrics#finalKl}: exact up to
 *                     {@link Metrics#EXACT_KL_MAX_POINTS} points, never negative)
 * @param klHistory    KL estimates every {@link #KL_EVERY} iterations (may be empty when the backend does not track it)
 * @param seconds      wall time of the run, kNN and P included
 * @param backend      "cpu" or "cuda"
 * @param device       where it ran ("8 threads", "NVIDIA H200", ...)
 * @param perplexity   the perplexity actually used (lowered with a warning for tiny inputs)
 * @param klExact      whether {@code klDivergence} is exact (else an estimate: Q's normalisation approximated)
 */
public record Embedding(FloatMatrix points, double klDivergence, double[] klHistory, double seconds,
                        String backend, String device, double perplexity, boolean klExact) {
    public static final int KL_EVERY = 50;

    /** An embedding whose KL is an estimate. */
    public Embedding(FloatMatrix points, double klDivergence, double[] klHistory, double seconds, String backend,
                     String device, double perplexity) {
        this(points, klDivergence, klHistory, seconds, backend, device, perplexity, false);
    }
}
