/**
 * Projections of activations to 2-D.
 * <p>
 * Public surface: {@link org.hiddenactivity.projection.TsneBackend} (one t-SNE engine; CPU:
 * {@link org.hiddenactivity.projection.CpuTsne}, CUDA in {@code projection.cuda}), chosen by name with
 * {@link org.hiddenactivity.projection.TsneBackends}; {@link org.hiddenactivity.projection.TsneParameters} and the
 * result {@link org.hiddenactivity.projection.Embedding}; sequences of snapshots with
 * {@link org.hiddenactivity.projection.SequenceProjector} and {@link org.hiddenactivity.projection.Alignment};
 * quality with {@link org.hiddenactivity.projection.Metrics}; scaling with
 * {@link org.hiddenactivity.projection.Features}.
 * <p>
 * The CPU engine's steps, one package-private class each, in the order a run uses them: {@code SquaredDistances}
 * (BLAS tiles) and {@code Neighbours} (exact kNN), {@code Affinities} (perplexity search, symmetric sparse P),
 * {@code Initialisation} (PCA / classical MDS / random), {@code Gradient} with {@code BarnesHutGradient} (on a
 * {@code QuadTree}) and the exact reference {@code ExactGradient}, {@code GradientDescent} (scikit-learn's optimiser,
 * and the coupling of dynamic t-SNE), {@code Workers} (fixed-chunk parallel loops that keep results independent of
 * the thread count).
 */
package org.hiddenactivity.projection;
