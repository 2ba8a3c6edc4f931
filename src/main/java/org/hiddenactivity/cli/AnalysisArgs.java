package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;
import java.nio.file.Path;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Locations;
import org.hiddenactivity.model.ProjectHome;
import org.hiddenactivity.projection.TsneBackends;
import org.hiddenactivity.projection.TsneParameters;

/** The options every analysis command shares; defaults are the engine's (TsneParameters.defaults()). */
final class AnalysisArgs {
    @Parameter(names = "--model", description = "Reference model name (models/NAME) or a directory of ONNX checkpoints")
    String model = "mnist_mlp";

    @Parameter(names = "--dataset", description = "mnist, fashion-mnist or cifar10 (default: the model manifest's)")
    String dataset;

    @Parameter(names = "--data-dir", converter = LocalePathConverter.class, description = "Folder holding the dataset files (default: cache, shipped copy, download)")
    Path dataDir;

    @Parameter(names = "--size", description = "Use the first SIZE observations of the test split")
    int size = AnalysisOptions.DEFAULT_SIZE;

    @Parameter(names = "--seed", description = "Seed of every random choice")
    long seed = TsneParameters.defaults().randomState();

    @Parameter(names = "--out", description = "Output folder (default: generated/analyses/MODEL/ANALYSIS)")
    Path out;

    @Parameter(names = "--backend", description = "t-SNE backend: cpu, cuda or auto")
    String backend = TsneBackends.DEFAULT;

    @Parameter(names = "--threads", description = "CPU threads (0 = all cores)")
    int threads = TsneParameters.defaults().threads();

    @Parameter(names = "--projection", description = "How activations are projected: tsne (default), umap or pca;"
            + " hav report takes several, comma-separated (tsne,umap,pca): the first draws the figures and findings,"
            + " every one reaches the explorer and report.json")
    String projection = org.hiddenactivity.projection.Projection.Method.DEFAULT.id();

    /** The methods --projection names, in order, each once; the first is the run's own. */
    java.util.List<org.hiddenactivity.projection.Projection.Method> projections() {
        java.util.LinkedHashSet<org.hiddenactivity.projection.Projection.Method> methods = new java.util.LinkedHashSet<>();
        for (String part : projection.split(",", -1)) {
            if (!methods.add(org.hiddenactivity.projection.Projection.Method.parse(part, "--projection"))) {
                throw new HavException("--projection " + projection, "names " + part.trim() + " twice",
                        "name each method once, e.g. --projection tsne,umap,pca");
            }
        }
        return java.util.List.copyOf(methods);
    }

    @ParametersDelegate
    TsneOptions tsne = new TsneOptions();

    @ParametersDelegate
    UmapOptions umap = new UmapOptions();

    @Parameter(names = "--image-size", description = "Width and height of full figures in pixels (256..8192)")
    int imageSize = AnalysisOptions.DEFAULT_IMAGE_SIZE;

    @Parameter(names = "--lambda", description = "Movement penalty of dynamic t-SNE (alignment dynamic)")
    double lambda = 0.1;

    @Parameter(names = "--no-bundle", description = "Draw trails straight instead of bundling them")
    boolean noBundle;

    @Parameter(names = "--fresh", description = "Recompute activations and projections instead of reusing the cache")
    boolean fresh;

    @Parameter(names = "--cache-dir", description = "Cache folder (default: HAV_CACHE, else generated/cache when"
            + " writable, else ~/.cache/hidden-activity)")
    Path cacheDir;

    @Parameter(names = "--record-paths", description = "How input paths are written into the outputs: relative (to the"
            + " output folder, or base name and SHA-256 when they share no folder below the second level) or absolute")
    String recordPaths = "relative";

    @ParametersDelegate
    ModelArgs modelArgs = new ModelArgs();

    // the data stage's options for the user's own data (--images, --targets, --class-names, --images-layout, --scale)
    @ParametersDelegate
    UserDataArgs userData = new UserDataArgs();

    AnalysisOptions toOptions(CommonOptions common) {
        if (!backend.equals("cpu") && !backend.equals("cuda") && !backend.equals("auto")) {
            throw new HavException("--backend " + backend, "unknown backend", "use cpu, cuda or auto");
        }
        org.hiddenactivity.core.RecordedPaths.mode(recordPaths); // a bad value is refused before any work
        if (tsne.initFromFile()) {
            throw new HavException("--init " + tsne.init, "starting points from a file are for hav tsne and hav embed"
                    + " (an analysis projects several matrices)", "use --init pca or --init random");
        }
        // TsneParameters checks every value (the one place every command's t-SNE settings are validated)
        TsneParameters p = tsne.parameters(TsneParameters.defaults().randomState(),
                TsneParameters.defaults().threads());
        Path cache = Locations.cacheRoot(cacheDir, ProjectHome.root());
        return AnalysisOptions.builder(model, cache).dataset(dataset).dataDir(dataDir).size(size).seed(seed).out(out)
                .backend(backend).threads(threads).fresh(fresh).quiet(common.quiet || common.json)
                .imageSize(imageSize).tsne(p).bundle(!noBundle).lambda(lambda).modelOptions(modelArgs.toOptions())
                .outputRoot(out != null ? cache.getParent() : Locations.outputRoot(ProjectHome.root()))
                .data(userData.request(dataset, null, dataDir, size))
                .projection(projections().get(0))
                .umap(umap.parameters(TsneParameters.defaults().randomState(), TsneParameters.defaults().threads(),
                        tsne.neighbours))
                .build();
    }
}
