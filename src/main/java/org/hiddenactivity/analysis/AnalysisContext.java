package org.hiddenactivity.analysis;

import org.hiddenactivity.core.Warnings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.DatasetRequest;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.hiddenactivity.model.ActivationStore;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.LayerActivations;
import org.hiddenactivity.model.ModelSeries;
import org.hiddenactivity.projection.EngineVersion;
import org.hiddenactivity.projection.Features;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneBackends;

/**
 * What every analysis of one model shares: the checkpoints, the observations, the activation cache, the t-SNE
 * backend, the projection cache and the stage timer. Opened once per command, closed at its end.
 */
public final class AnalysisContext implements AutoCloseable {
    private final AnalysisOptions options;
    private final ModelSeries model;
    private final Dataset data;
    private final ActivationStore activations;
    private final TsneBackend backend;
    private final ProjectionCache projections;
    private final StageTimer timer;
    private final Map<String, FloatMatrix> features;
    private final Warnings.Recorder warnings;
    /** False for a view ({@link #withProjection}): closing it leaves the shared backend and warnings open. */
    private final boolean owner;

    private AnalysisContext(AnalysisOptions options, ModelSeries model, Dataset data, ActivationStore activations,
                            TsneBackend backend, ProjectionCache projections, Warnings.Recorder warnings) {
        this.warnings = warnings;
        this.timer = new StageTimer();
        this.features = new LinkedHashMap<>();
        this.owner = true;
        this.options = options;
        this.model = model;
        this.data = data;
        this.activations = activations;
        this.backend = backend;
        this.projections = projections;
    }

    /** A view of {@code parent} with other options, sharing its model, data, caches, backend, timer and warnings. */
    private AnalysisContext(AnalysisContext parent, AnalysisOptions options) {
        this.options = options;
        this.model = parent.model;
        this.data = parent.data;
        this.activations = parent.activations;
        this.backend = parent.backend;
        this.projections = parent.projections;
        this.timer = parent.timer;
        this.features = parent.features;
        this.warnings = parent.warnings;
        this.owner = false;
        this.recordedPaths = parent.recordedPaths;
    }

    /**
     * This context projecting activations with {@code method} instead (a report with several methods); everything
     * else, the caches included, is shared. Closing the view closes nothing.
     */
    public AnalysisContext withProjection(org.hiddenactivity.projection.Projection.Method method) {
        return new AnalysisContext(this, options.withProjection(method));
    }

    /** Resolves the model and dataset, checks they fit, and picks the t-SNE backend. */
    public static AnalysisContext open(AnalysisOptions options) {
        Warnings.Recorder warnings = Warnings.record();
        try {
            return open(options, warnings);
        } catch (RuntimeException | Error e) {
            warnings.close();
            throw e;
        }
    }

    private static AnalysisContext open(AnalysisOptions options, Warnings.Recorder warnings) {
        ModelSeries model = ModelSeries.resolve(options.model(), options.modelOptions());
        Dataset data = Datasets.load(dataRequest(options.dataRequest(), model));
        if (data.size() < options.size()) {
            Warnings.warn(data.name() + (data.split() == Split.ALL ? "" : " " + data.split().id() + " split")
                    + " has only " + data.size() + " observations; using all of them instead of " + options.size());
        }
        model = model.checkedFor(data);
        warnAssumptions(model);
        ActivationStore store = new ActivationStore(options.cacheRoot().resolve("activations"), options.fresh());
        TsneBackend backend = TsneBackends.select(options.backend(), options.threads());
        ProjectionCache cache = new ProjectionCache(options.cacheRoot().resolve("projections"), options.fresh());
        return new AnalysisContext(options, model, data, store, backend, cache, warnings);
    }

    /**
     * The request to load: the user's own data as given (the manifest's dataset does not apply to it), else the
     * built-in dataset {@link #datasetOf} decides. Conflicting data options are refused first.
     */
    public static DatasetRequest dataRequest(DatasetRequest request, ModelSeries model) {
        Datasets.checkOptions(request);
        return request.userData() ? request : request.withDataset(datasetOf(request.dataset(), model));
    }

    /**
     * The dataset to analyse: --dataset when it agrees with the manifest, else the manifest's; without either an
     * error (never a silent MNIST).
     */
    public static String datasetOf(String option, ModelSeries model) {
        String manifest = model.dataset();
        if (option != null) {
            String given = Datasets.canonicalName(option);
            if (manifest != null && !manifest.equals(given)) {
                throw new HavException("--dataset " + option, "model " + model.name() + " was trained on "
                        + manifest + " (its " + ModelSeries.MANIFEST + " says so)", "leave out --dataset to use "
                        + manifest + ", or correct \"dataset\" in " + model.manifest().file());
            }
            return given;
        }
        if (manifest == null) {
            throw new HavException("model " + model.name(), "nothing says which dataset it was trained on (no --dataset,"
                    + " no \"dataset\" in a " + ModelSeries.MANIFEST + ")", "pass --dataset "
                    + String.join("|", Datasets.NAMES) + ", or write it in the model folder's " + ModelSeries.MANIFEST
                    + " (hav inspect DIR --manifest prints one)");
        }
        if (!Datasets.NAMES.contains(manifest)) {
            throw new HavException(model.manifest().file().toString(), "names the dataset '" + manifest
                    + "', which is not a built-in one", "pass --dataset " + String.join("|", Datasets.NAMES));
        }
        return manifest;
    }

    /** Says once, prominently, what was assumed about the model's input because nothing said it. */
    public static void warnAssumptions(ModelSeries model) {
        if (model.normalisation().isNone()) {
            Warnings.warnOnce("normalisation:" + model.dir(), "model " + model.name() + ": no input normalisation"
                    + " given (" + model.normalisation().origin().replaceFirst("^none \\((.*)\\)$", "$1")
                    + "), so pixels enter the network as values in [0, 1]. If it was trained on normalised inputs,"
                    + " pass --mean and --std (e.g. --mean 0.1307 --std 0.3081) or write them in "
                    + ModelSeries.MANIFEST + "; --mean 0 --std 1 says that none is wanted");
        }
    }

    public AnalysisOptions options() { return options; }

    public ModelSeries model() { return model; }

    public Dataset data() { return data; }

    public int[] labels() { return data.labels(); }

    public TsneBackend backend() { return backend; }

    public ProjectionCache projections() { return projections; }

    public StageTimer timer() { return timer; }

    /** Number of classes of the dataset. */
    public int classes() { return data.classNames().size(); }

    /** Hidden layers of the model (1-based numbers). */
    public int layerCount() { return model.hiddenLayers().size(); }

    /** Checks a 1-based layer number and says which exist when it is wrong. */
    public void checkLayer(int layer) {
        if (layer < 1 || layer > layerCount()) {
            throw new HavException("--layer " + layer, "no such hidden layer; " + model.name() + " has layers 1.."
                    + layerCount(), "pick a layer in 1.." + layerCount() + "; hav inspect lists them");
        }
    }

    /** The raw activations of a layer at an epoch (cached on disk by the model stage). */
    public LayerActivations activations(int epoch, int layer) {
        checkLayer(layer);
        Checkpoint cp = model.checkpoint(epoch);
        try (StageTimer.Stage s = timer.stage("activations")) {
            return activations.activations(model, cp, data, layer);
        }
    }

    /** Z-scored activations (constant columns become 0), the input of every projection. */
    public FloatMatrix features(int epoch, int layer) {
        String key = epoch + "/" + layer;
        FloatMatrix f = features.get(key);
        if (f == null) {
            f = Features.zscore(activations(epoch, layer).values());
            features.put(key, f);
        }
        return f;
    }

    /** Predicted classes of the checkpoint of {@code epoch}. */
    public int[] predicted(int epoch) {
        return activations(epoch, 1).predicted();
    }

    /** Class probabilities (N x classes) of the checkpoint of {@code epoch}, from its class output as {@link #classScoreKind} reads it. */
    public FloatMatrix classProbabilities(int epoch) {
        return activations(epoch, 1).classProbabilities();
    }

    /** What the class output of the checkpoint of {@code epoch} holds (logits, probabilities or log-probabilities). */
    public org.hiddenactivity.model.ClassScores.Kind classScoreKind(int epoch) {
        return org.hiddenactivity.model.ClassScores.kind(activations(epoch, 1).scores());
    }

    /** Progress display for a step of this run. */
    public Progress progress(String task, long total) {
        return Progress.start(task, total, options.quiet());
    }

    /** Where an analysis writes when --out is not given. */
    public Path outputDir(String analysis) {
        if (options.out() != null) {
            return options.out();
        }
        return options.outputRoot().resolve("analyses").resolve(model.name()).resolve(analysis);
    }

    /** How input paths are written into this run's outputs (default: base names, no output folder known). */
    private volatile org.hiddenactivity.core.RecordedPaths recordedPaths =
            new org.hiddenactivity.core.RecordedPaths(org.hiddenactivity.core.RecordedPaths.Mode.RELATIVE, null);

    /** Sets how input paths are recorded in provenance (--record-paths, relative to the final output folder). */
    public void recordPaths(org.hiddenactivity.core.RecordedPaths paths) {
        this.recordedPaths = paths;
    }

    /** {@code text} (a description, a message) with input paths as {@link #recordPaths} says. */
    public String recordedText(String text) {
        return recordedPaths.text(text, inputPaths(model.describe()));
    }

    /** Every string of {@code value} (maps, lists) with input paths as {@link #recordPaths} says. */
    public Object recordedValues(Object value) {
        return recordedPaths.values(value, inputPaths(model.describe()));
    }

    /** The input paths this run knows, for {@link org.hiddenactivity.core.RecordedPaths#text}. */
    private java.util.List<Path> inputPaths(Map<String, Object> modelSetup) {
        java.util.List<Path> known = new java.util.ArrayList<>();
        for (String key : new String[] {"dir", "manifest"}) {
            if (modelSetup.get(key) instanceof String s) {
                try {
                    known.add(Path.of(s));
                } catch (java.nio.file.InvalidPathException ignored) {
                    // not a path: nothing to rewrite
                }
            }
        }
        known.add(options.dataDir());
        if (options.data() != null) {
            known.add(options.data().dataDir());
            known.add(options.data().images());
            known.add(options.data().targets());
        }
        known.removeIf(java.util.Objects::isNull);
        return known;
    }

    /** Provenance common to every output of this run (typed; reads back whole); input paths as {@link #recordPaths}. */
    public RunProvenance provenance(String command) {
        java.util.SortedMap<String, String> checkpoints = new java.util.TreeMap<>();
        for (Checkpoint cp : model.checkpoints()) {
            checkpoints.put("epoch " + cp.epoch(), cp.sha256());
        }
        Map<String, Object> setup = model.describe();
        java.util.List<Path> known = inputPaths(setup);
        org.hiddenactivity.core.RecordedPaths paths = recordedPaths;
        @SuppressWarnings("unchecked")
        Map<String, Object> recordedSetup = (Map<String, Object>) paths.values(setup, known);
        @SuppressWarnings("unchecked")
        Map<String, Object> recordedOptions = commandLine == null ? null
                : (Map<String, Object>) paths.values(new LinkedHashMap<>(commandLine), known);
        return RunProvenance.builder().command(command).created(java.time.Instant.now().toString())
                .engine(EngineVersion.id()).environment(Environment.info()).model(paths.text(model.name(), known))
                .checkpointsSha256(checkpoints).modelSetup(recordedSetup)
                .normalisation(paths.text(model.normalisation().toString(), known)).dataset(data.name())
                .datasetSha256(data.sha256()).datasetSource(paths.text(data.describe(), known))
                .observations(data.size()).seed(options.seed()).tsne(options.tsneParameters())
                .backendRequested(options.backend()).backend(backend.name())
                .device(backend.availability().device()).backendSettings(new java.util.TreeMap<>(backend.settings()))
                .lambda(options.lambda()).bundle(options.bundle()).imageSize(options.imageSize())
                .settings(Settings.resolved(options, settings)).seeds(seeds().all()).options(recordedOptions)
                .build();
    }

    /** The run's named random streams, all from its one seed. */
    public org.hiddenactivity.core.Seeds seeds() {
        return new org.hiddenactivity.core.Seeds(options.seed());
    }

    /** Settings a later stage resolves (the report's bootstrap), recorded with the others in provenance. */
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /** Records {@code value} as the setting group {@code group} of this run's provenance. */
    public void recordSetting(String group, Object value) {
        settings.put(group, value);
    }

    /** The command's options as given or defaulted (set by the CLI), recorded in provenance. */
    private volatile Map<String, Object> commandLine;

    /** Sets the options recorded in provenance (the CLI: every option of the command, by name). */
    public void recordCommandLine(Map<String, Object> options) {
        this.commandLine = options == null ? null : new LinkedHashMap<>(options);
    }

    /**
     * How this run projects activations, for report.json: the method and its settings (t-SNE's parameters are in
     * the provenance as well).
     */
    public java.util.Map<String, Object> projectionSettings() {
        if (options.projection() == org.hiddenactivity.projection.Projection.Method.TSNE) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("method", "tsne");
            m.put("backend", backend.name());
            m.put("parameters", options.tsneParameters().toString());
            return m;
        }
        try (org.hiddenactivity.projection.Projection p = org.hiddenactivity.projection.Projection.create(
                options.projection(), options.tsneParameters(), options.umapParameters(), options.backend())) {
            return p.settings();
        }
    }

    /** The warnings emitted since this context was opened (the report shows them). */
    public java.util.List<String> warnings() {
        return warnings.warnings();
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        try {
            backend.close();
        } finally {
            warnings.close();
        }
    }
}
