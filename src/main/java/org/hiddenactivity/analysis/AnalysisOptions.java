package org.hiddenactivity.analysis;

import java.nio.file.Path;
import org.hiddenactivity.model.ModelOptions;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.UmapParameters;

/**
 * Everything an analysis needs to know besides its own arguments, with the defaults of docs/design.md.
 *
 * @param model      reference model name (models/NAME) or a directory of ONNX checkpoints
 * @param dataset    dataset name, or null to take the model manifest's
 * @param dataDir    where the dataset files are, or null for the default lookup
 * @param size       the first {@code size} observations of the test split (2000)
 * @param seed       seed of every random choice (0)
 * @param out        output folder, or null for generated/analyses/MODEL/ANALYSIS
 * @param backend    t-SNE backend: cpu, cuda or auto
 * @param threads    CPU threads, 0 = all cores
 * @param fresh      recompute instead of reusing cached activations and projections
 * @param quiet      no progress display
 * @param imageSize  width and height of the full figures in pixels (2048, up to 8192)
 * @param tsne       t-SNE parameters (seed is overridden by {@code seed})
 * @param bundle     bundle the trails (KDEEB); false draws them straight
 * @param lambda     movement penalty of dynamic t-SNE
 * @param cacheRoot  root of the caches (generated/cache)
 * @param modelOptions what the command line says about the model (tensors, units, normalisation, layout)
 * @param outputRoot the folder holding analyses/ and reports/ when --out is not given
 * @param data       what data to load (built-in or the user's own, scale); null: the built-in {@code dataset}
 *                   (or the manifest's) from {@code dataDir}, test split, first {@code size}
 * @param projection how activations are projected: t-SNE (with {@code tsne} on {@code backend}), UMAP or PCA
 * @param umap       UMAP parameters (seed and threads are overridden by {@code seed} and {@code threads})
 */
public record AnalysisOptions(String model, String dataset, Path dataDir, int size, long seed, Path out,
                              String backend, int threads, boolean fresh, boolean quiet, int imageSize,
                              TsneParameters tsne, boolean bundle, double lambda, Path cacheRoot,
                              ModelOptions modelOptions, Path outputRoot,
                              org.hiddenactivity.data.DatasetRequest data, Projection.Method projection,
                              UmapParameters umap) {
    public static final int DEFAULT_SIZE = 2000;
    public static final int DEFAULT_IMAGE_SIZE = 2048;
    public static final int MAX_IMAGE_SIZE = 8192;

    /** Options with nothing said about the model beyond its name. */
    public AnalysisOptions(String model, String dataset, Path dataDir, int size, long seed, Path out, String backend,
                           int threads, boolean fresh, boolean quiet, int imageSize, TsneParameters tsne,
                           boolean bundle, double lambda, Path cacheRoot) {
        this(model, dataset, dataDir, size, seed, out, backend, threads, fresh, quiet, imageSize, tsne, bundle, lambda,
                cacheRoot, ModelOptions.defaults(), cacheRoot.getParent());
    }

    /** With t-SNE as the projection (the positional form before the builder; prefer {@link #builder}). */
    public AnalysisOptions(String model, String dataset, Path dataDir, int size, long seed, Path out, String backend,
                           int threads, boolean fresh, boolean quiet, int imageSize, TsneParameters tsne,
                           boolean bundle, double lambda, Path cacheRoot, ModelOptions modelOptions, Path outputRoot,
                           org.hiddenactivity.data.DatasetRequest data) {
        this(model, dataset, dataDir, size, seed, out, backend, threads, fresh, quiet, imageSize, tsne, bundle, lambda,
                cacheRoot, modelOptions, outputRoot, data, Projection.Method.DEFAULT, UmapParameters.defaults());
    }

    public AnalysisOptions {
        projection = projection == null ? Projection.Method.DEFAULT : projection;
        umap = umap == null ? UmapParameters.defaults() : umap;
        modelOptions = modelOptions == null ? ModelOptions.defaults() : modelOptions;
        outputRoot = outputRoot == null ? cacheRoot.getParent() : outputRoot;
        if (size < 1) {
            throw new org.hiddenactivity.core.HavException("--size", "must be at least 1, got " + size, "use the default 2000");
        }
        if (imageSize < 256 || imageSize > MAX_IMAGE_SIZE) {
            throw new org.hiddenactivity.core.HavException("--image-size", "must be in 256.." + MAX_IMAGE_SIZE + ", got " + imageSize,
                    "the default is " + DEFAULT_IMAGE_SIZE);
        }
        if (lambda < 0) {
            throw new org.hiddenactivity.core.HavException("--lambda", "must be >= 0, got " + lambda, "0 gives independent projections");
        }
    }

    /** Options with the model options and output root given, and the built-in {@code dataset} (or the manifest's). */
    public AnalysisOptions(String model, String dataset, Path dataDir, int size, long seed, Path out, String backend,
                           int threads, boolean fresh, boolean quiet, int imageSize, TsneParameters tsne,
                           boolean bundle, double lambda, Path cacheRoot, ModelOptions modelOptions, Path outputRoot) {
        this(model, dataset, dataDir, size, seed, out, backend, threads, fresh, quiet, imageSize, tsne, bundle, lambda,
                cacheRoot, modelOptions, outputRoot, null);
    }

    /** What data to load: {@code data}, or the built-in {@code dataset} from {@code dataDir}, first {@code size}. */
    public org.hiddenactivity.data.DatasetRequest dataRequest() {
        return data != null ? data
                : org.hiddenactivity.data.DatasetRequest.builtin(dataset, null, dataDir, size);
    }

    /** These options with activations projected by {@code method}; every other field as it is. */
    public AnalysisOptions withProjection(Projection.Method method) {
        return new AnalysisOptions(model, dataset, dataDir, size, seed, out, backend, threads, fresh, quiet, imageSize,
                tsne, bundle, lambda, cacheRoot, modelOptions, outputRoot, data, method, umap);
    }

    /** The number of CPU threads to use: {@code threads}, or all cores when it is 0. */
    public int cpuThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The t-SNE parameters with this run's seed and threads. */
    public TsneParameters tsneParameters() {
        return tsne.withRandomState(new org.hiddenactivity.core.Seeds(seed).of(
                org.hiddenactivity.core.Seeds.Stream.PROJECTION)).withThreads(threads);
    }

    /** The UMAP parameters with this run's seed and threads. */
    public UmapParameters umapParameters() {
        return umap.toBuilder().randomState(new org.hiddenactivity.core.Seeds(seed).of(
                org.hiddenactivity.core.Seeds.Stream.PROJECTION)).threads(threads).build();
    }

    /** Options by name, starting from the defaults of docs/design.md; {@code cacheRoot} is required. */
    public static Builder builder(String model, Path cacheRoot) {
        return new Builder(model, cacheRoot);
    }

    /** Named setters; each changes its own field only. */
    public static final class Builder {
        private final String model;
        private final Path cacheRoot;
        private String dataset;
        private Path dataDir;
        private int size = DEFAULT_SIZE;
        private long seed = 0;
        private Path out;
        private String backend = org.hiddenactivity.projection.TsneBackends.DEFAULT;
        private int threads = 0;
        private boolean fresh;
        private boolean quiet;
        private int imageSize = DEFAULT_IMAGE_SIZE;
        private TsneParameters tsne = TsneParameters.defaults();
        private boolean bundle = true;
        private double lambda = 0.1;
        private ModelOptions modelOptions;
        private Path outputRoot;
        private org.hiddenactivity.data.DatasetRequest data;
        private Projection.Method projection = Projection.Method.DEFAULT;
        private UmapParameters umap = UmapParameters.defaults();

        private Builder(String model, Path cacheRoot) {
            this.model = model;
            this.cacheRoot = cacheRoot;
        }

        public Builder dataset(String v) { dataset = v; return this; }

        public Builder dataDir(Path v) { dataDir = v; return this; }

        public Builder size(int v) { size = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public Builder out(Path v) { out = v; return this; }

        public Builder backend(String v) { backend = v; return this; }

        public Builder threads(int v) { threads = v; return this; }

        public Builder fresh(boolean v) { fresh = v; return this; }

        public Builder quiet(boolean v) { quiet = v; return this; }

        public Builder imageSize(int v) { imageSize = v; return this; }

        public Builder tsne(TsneParameters v) { tsne = v; return this; }

        public Builder bundle(boolean v) { bundle = v; return this; }

        public Builder lambda(double v) { lambda = v; return this; }

        public Builder modelOptions(ModelOptions v) { modelOptions = v; return this; }

        public Builder outputRoot(Path v) { outputRoot = v; return this; }

        public Builder data(org.hiddenactivity.data.DatasetRequest v) { data = v; return this; }

        public Builder projection(Projection.Method v) { projection = v; return this; }

        public Builder umap(UmapParameters v) { umap = v; return this; }

        public AnalysisOptions build() {
            return new AnalysisOptions(model, dataset, dataDir, size, seed, out, backend, threads, fresh, quiet,
                    imageSize, tsne, bundle, lambda, cacheRoot, modelOptions, outputRoot, data, projection, umap);
        }
    }
}
