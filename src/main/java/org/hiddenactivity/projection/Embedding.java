package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/**
 * The result of one t-SNE run.
 *
 * @param points       N x nComponents coordinates
 * @param klDivergence KL(P || Q) of the final embedding as the backend measured it (Barnes-Hut estimate or exact)
 * @param klHistory    KL estimates every {@link #KL_EVERY} iterations (may be empty when the backend does not track it)
 * @param seconds      wall time of the run, kNN and P included
 * @param backend      "cpu" or "cuda"
 * @param device       where it ran ("8 threads", "NVIDIA H200", ...)
 * @param perplexity   the perplexity actually used (lowered with a warning for tiny inputs)
 */
public record Embedding(FloatMatrix points, double klDivergence, double[] klHistory, double seconds,
                        String backend, String device, double perplexity) {
    public static final int KL_EVERY = 50;
}
