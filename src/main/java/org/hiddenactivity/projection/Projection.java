package org.hiddenactivity.projection;

import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;

/**
 * One way of fitting a matrix (N x D, rows = points) to 2-D: t-SNE ({@link TsneProjection}, on the CPU or CUDA
 * backend), UMAP ({@link UmapProjection}) or PCA ({@link PcaProjection}); made by {@link #create}. Every method is
 * deterministic: the same input and settings give the same bytes on every call and for any thread count (the
 * approximate kNN excepted, see {@link TsneParameters.NeighbourSearch}). A new method is one class implementing this
 * interface plus its {@link Method} constant.
 */
public interface Projection extends AutoCloseable {
    /** The methods, by the name used on the command line ({@code --method}, {@code --projection}). */
    enum Method {
        TSNE, UMAP, PCA;

        /** The method every command uses when none is named. */
        public static final Method DEFAULT = TSNE;

        /** tsne, umap or pca. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@link #id()} (case-insensitive; "t-sne" too); {@code option} names the flag in the message. */
        public static Method parse(String s, String option) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "tsne", "t-sne" -> TSNE;
                case "umap" -> UMAP;
                case "pca" -> PCA;
                default -> throw new HavException(option + " " + s, "unknown projection method",
                        "use tsne, umap or pca");
            };
        }
    }

    /** Which method this is. */
    Method method();

    /**
     * Every setting that changes the result (the method, its parameters, the seed, the backend's own settings), in a
     * fixed order, for provenance and cache keys. Thread counts are left out: they do not change results.
     */
    Map<String, Object> settings();

    /**
     * Fits {@code data} (N x D, finite values) to N x 2 (t-SNE: {@code nComponents}).
     *
     * @param initial N x 2 starting points, or null for the method's own start (PCA ignores it)
     */
    Embedding fit(FloatMatrix data, FloatMatrix initial, Progress progress);

    /** Progress steps of a fit of n points (iterations or epochs; 1 for PCA). */
    long steps(int n);

    /**
     * The quality report of an embedding of {@code data} ({@link Metrics#evaluate}: trustworthiness, kNN
     * preservation, neighbourhood hit with labels, and t-SNE's KL at the embedding's perplexity, or the default 30
     * for methods without one, so that the KL compares methods on one scale).
     */
    default Metrics.Report quality(FloatMatrix data, Embedding e, int[] labels, int threads) {
        double perplexity = Double.isFinite(e.perplexity()) ? e.perplexity() : TsneParameters.defaults().perplexity();
        return Metrics.evaluate(data, e.points(), labels, TsneParameters.perplexityFor(perplexity, data.rows()),
                threads);
    }

    @Override
    default void close() {}

    /**
     * The projection of {@code method} with these settings: t-SNE on {@code backend} ("cpu", "cuda", "auto"; see
     * {@link TsneBackends}) with {@code tsne}; UMAP with {@code umap}; PCA with {@code tsne}'s seed, threads and
     * number of components.
     */
    static Projection create(Method method, TsneParameters tsne, UmapParameters umap, String backend) {
        return switch (method) {
            case TSNE -> new TsneProjection(TsneBackends.select(backend, tsne.threads()), tsne);
            case UMAP -> new UmapProjection(umap);
            case PCA -> new PcaProjection(tsne.nComponents(), tsne.randomState(), tsne.threads());
        };
    }
}
