package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Locations;
import org.hiddenactivity.core.StagedOutput;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.hiddenactivity.model.ActivationStore;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.HiddenLayer;
import org.hiddenactivity.model.LayerActivations;
import org.hiddenactivity.model.ModelSeries;
import org.hiddenactivity.model.ProjectHome;

@Parameters(commandNames = "activations",
        commandDescription = "Write one hidden layer's activations over a dataset to .npy (plus predictions, labels)")
final class ActivationsCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(names = "--model", required = true,
            description = "Reference model name (models/NAME), a folder of ONNX checkpoints, or a .onnx file")
    String model;

    @Parameter(names = "--layer", required = true, description = "Hidden layer, numbered from 1 (hav inspect)")
    Integer layer;

    @Parameter(names = "--epoch", description = "Checkpoint epoch (default: the last)")
    Integer epoch;

    @Parameter(names = "--size", description = "First N observations of the split (<= 0: all)")
    int size = 2000;

    @Parameter(names = "--dataset", description = "mnist, fashion-mnist or cifar10 (default: the model manifest's)")
    String dataset;

    @Parameter(names = "--split", description = "train or test (default test; not for --images)")
    String split;

    // the data stage's options for the user's own data (--images, --targets, --class-names, --images-layout, --scale)
    @ParametersDelegate
    UserDataArgs userData = new UserDataArgs();

    @Parameter(names = "--data-dir", converter = LocalePathConverter.class, description = "Folder holding the dataset files (default: cache, shipped copy,"
            + " download)")
    Path dataDir;

    @Parameter(names = "--out", required = true, description = "Output X.npy (N x units float32); X.pred.npy and"
            + " X.labels.npy (int32) are written beside it")
    Path out;

    @Parameter(names = "--cache-dir", description = "Cache folder (default: HAV_CACHE, else generated/cache when"
            + " writable, else ~/.cache/hidden-activity)")
    Path cacheDir;

    @ParametersDelegate
    ModelArgs modelArgs = new ModelArgs();

    @Parameter(names = "--fresh", description = "Recompute instead of reading the activation cache")
    boolean fresh;

    // distributed extraction on Apache Spark (the optional module spark/, docs/scale.md)
    @Parameter(names = "--spark", description = "Extract on Apache Spark executors, the observations partitioned"
            + " (needs the Spark module: scripts/build-spark.sh); never reads or writes the cache")
    boolean spark;

    @Parameter(names = "--master", description = "With --spark: the Spark master URL (default local[*])")
    String master;

    @Parameter(names = "--partitions", description = "With --spark: partitions of the observations (default: the"
            + " cluster's parallelism)")
    int partitions;

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    /** X.npy -> X.SUFFIX.npy. */
    static Path sibling(Path npy, String suffix) {
        String name = npy.getFileName().toString();
        return npy.resolveSibling(name.substring(0, name.length() - ".npy".length()) + "." + suffix + ".npy");
    }

    @Override
    public int run() throws Exception {
        if (!out.getFileName().toString().endsWith(".npy")) {
            throw new HavException("--out " + out, "the output must be a .npy file", "name it like acts.npy");
        }
        StagedOutput.checkWritableFile(out, "--out");
        ModelSeries series = ModelSeries.resolve(model, modelArgs.toOptions());
        series.layer(layer);
        Checkpoint cp = series.checkpoint(epoch == null ? series.lastEpoch() : epoch);
        Dataset data = Datasets.load(AnalysisContext.dataRequest(userData.request(dataset,
                split == null ? null : Split.parse(split), dataDir, size), series));
        series = series.checkedFor(data);
        AnalysisContext.warnAssumptions(series);
        HiddenLayer hidden = series.layer(layer);
        LayerActivations acts;
        Path cache = Locations.cacheRoot(cacheDir, ProjectHome.root()).resolve("activations");
        if (spark) {
            DistributedExtraction engine = java.util.ServiceLoader.load(DistributedExtraction.class).findFirst()
                    .orElseThrow(() -> new HavException(null, "--spark: the Spark module is not on the class path",
                            BatchCommand.BUILD_HINT.replace("./hav batch", "hav activations with --spark"),
                            HavException.EXIT_RUNTIME, null));
            acts = engine.extract(series, cp, data, layer, modelArgs.toOptions(), master, partitions);
        } else {
            try (Progress p = Progress.start("activations", data.size(), common.quiet)) {
                acts = new ActivationStore(cache, fresh).progress(p).activations(series, cp, data, layer);
            }
        }
        // everything is computed before the first output file is written
        Path pred = sibling(out, "pred");
        Path labels = sibling(out, "labels");
        Npy.write(out, acts.values());
        Npy.write(pred, acts.predicted());
        Npy.write(labels, data.labels());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toAbsolutePath().toString());
        r.put("predictions", pred.toAbsolutePath().toString());
        r.put("labels", labels.toAbsolutePath().toString());
        r.put("rows", acts.values().rows());
        r.put("units", acts.values().cols());
        r.put("model", series.name());
        r.put("epoch", cp.epoch());
        r.put("checkpoint", cp.path().toString());
        r.put("checkpoint_sha256", cp.sha256());
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("number", hidden.number());
        l.put("name", hidden.name());
        l.put("tensor", hidden.tensor());
        l.put("kind", hidden.kind().id());
        l.put("pattern", hidden.pattern());
        l.put("units", acts.values().cols());
        r.put("layer", l);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", data.name());
        d.put("split", data.split().id());
        d.put("size", data.size());
        d.put("sha256", data.sha256());
        d.put("source", data.source());
        d.putAll(data.provenance());
        r.put("dataset", d);
        r.put("normalisation", series.normalisation().toString());
        r.put("accuracy", acts.accuracy(data.labels()));
        r.put("cached", acts.cached());
        if (common.json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.printf("%s: %d x %d activations of %s, %s, %s (%s)%n", out, acts.values().rows(),
                    acts.values().cols(), series.name(), cp, hidden, acts.cached() ? "from the cache" : "computed");
            System.out.printf("accuracy on these %d observations: %.4f; predictions in %s, labels in %s%n",
                    data.size(), acts.accuracy(data.labels()), pred.getFileName(), labels.getFileName());
            if (series.normalisation().isNone()) {
                System.out.println("input normalisation: " + series.normalisation());
            }
        }
        return 0;
    }
}
