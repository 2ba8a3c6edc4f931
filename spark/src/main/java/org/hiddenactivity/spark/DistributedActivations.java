package org.hiddenactivity.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.hiddenactivity.cli.DistributedExtraction;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Split;
import org.hiddenactivity.model.ActivationExtractor;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.CheckpointActivations;
import org.hiddenactivity.model.ConvUnits;
import org.hiddenactivity.model.HiddenLayer;
import org.hiddenactivity.model.LayerActivations;
import org.hiddenactivity.model.ModelOptions;
import org.hiddenactivity.model.ModelSeries;
import org.hiddenactivity.model.OrtSessionSource;

/**
 * Activation extraction across Spark executors: the driver holds the dataset and cuts it into partitions of whole
 * onnxruntime batches; the model's files are broadcast once; the tasks of an executor share one onnxruntime session
 * ({@link ExecutorSessions}) and run the same {@link ActivationExtractor} as a local run; the driver assembles the
 * shards in order.
 */
public final class DistributedActivations implements DistributedExtraction {
    @Override
    public LayerActivations extract(ModelSeries series, Checkpoint cp, Dataset data, int layer, ModelOptions options,
                                    String master, int partitions) {
        SparkConf conf = new SparkConf().setAppName("hav activations");
        conf.setMaster(master != null ? master : conf.get("spark.master", "local[*]"));
        conf.setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("WARN");
            return extract(jsc, series, cp, data, layer, options, partitions);
        }
    }

    /** With a running Spark context (tests share one). */
    static LayerActivations extract(JavaSparkContext jsc, ModelSeries series, Checkpoint cp, Dataset data, int layer,
                                    ModelOptions options, int partitions) {
        HiddenLayer wanted = series.layer(layer);
        int n = data.size();
        int d = data.features();
        // partitions hold whole batches of the local extraction, so that onnxruntime sees the very same inputs
        long[] shape = series.inputShape();
        int batch = shape != null && shape.length > 0 && shape[0] > 0 ? (int) shape[0]
                : Math.max(1, Math.min(ActivationExtractor.DEFAULT_BATCH, (1 << 28) / Math.max(1, d)));
        int parts = partitions > 0 ? partitions : jsc.defaultParallelism();
        int batches = (n + batch - 1) / batch;
        int perPart = Math.max(1, (batches + parts - 1) / parts) * batch;
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < n; start += perPart) {
            int end = Math.min(n, start + perPart);
            float[] images = new float[(end - start) * d];
            System.arraycopy(data.images().data(), start * d, images, 0, images.length);
            int[] labels = java.util.Arrays.copyOfRange(data.labels(), start, end);
            chunks.add(new Chunk(start, images, labels));
        }
        Broadcast<ModelFiles> model = jsc.broadcast(ModelFiles.of(series, cp, options, wanted.tensor()));
        DataShape ds = new DataShape(data.name(), data.split().name(), data.channels(), data.height(), data.width(),
                data.classNames(), data.sha256(), data.source());
        List<Shard> shards;
        try {
            shards = jsc.parallelize(chunks, chunks.size()).map(new ExtractChunk(model, ds)).collect();
        } catch (Exception e) {
            throw executorFailure(e);
        } finally {
            model.destroy();
        }
        // where the shards were computed: executors, and sessions each opened for this model (1 when shared)
        Map<String, Integer> sessions = new java.util.TreeMap<>();
        shards.forEach(s -> sessions.merge(s.executor(), s.sessionsOpened(), Math::max));
        org.hiddenactivity.core.Warnings.notice("activations on Spark: " + shards.size() + " partition(s) on "
                + sessions.size() + " executor(s) " + sessions.keySet() + ", "
                + sessions.values().stream().mapToInt(Integer::intValue).sum() + " onnxruntime session(s) opened");
        int units = shards.isEmpty() ? Math.max(wanted.units(), 0) : shards.get(0).units();
        float[] values = new float[Math.multiplyExact(n, units)];
        int[] predicted = new int[n];
        int classes = shards.isEmpty() ? 0 : shards.get(0).classes();
        float[] scores = new float[Math.multiplyExact(n, classes)];
        for (Shard s : shards) {
            System.arraycopy(s.values(), 0, values, s.start() * units, s.values().length);
            System.arraycopy(s.predicted(), 0, predicted, s.start(), s.predicted().length);
            System.arraycopy(s.scores(), 0, scores, s.start() * classes, s.scores().length);
        }
        HiddenLayer measured = wanted.units() > 0 ? wanted : wanted.withUnits(units);
        return new LayerActivations(measured, cp, new FloatMatrix(n, units, values), predicted,
                new FloatMatrix(n, classes, scores), false);
    }

    /**
     * A task that failed on every attempt: hav's own error from the executor (its message names the problem and the
     * fix, such as OnnxruntimeGuard's) as an error of this command rather than an internal error.
     */
    static RuntimeException executorFailure(Exception e) {
        String text = String.valueOf(e.getMessage());
        String marker = HavException.class.getName() + ": ";
        int at = text.indexOf(marker);
        if (!(e instanceof org.apache.spark.SparkException) || at < 0) {
            return e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        String cause = text.substring(at + marker.length()).lines().findFirst().orElse("").strip();
        return new HavException("a Spark executor", "extraction failed there: " + cause, "the executors' logs hold"
                + " the whole error", HavException.EXIT_RUNTIME, e);
    }

    /** A partition of the observations: its first row and its rows. */
    record Chunk(int start, float[] images, int[] labels) implements Serializable {}

    /**
     * One partition's activations of the wanted layer and its predictions; the executor that computed it and how many
     * onnxruntime sessions that executor's JVM has opened for the model so far.
     */
    record Shard(int start, int units, float[] values, int[] predicted, int classes, float[] scores, String executor,
                 int sessionsOpened) implements Serializable {}

    /** What a Dataset is besides its rows (a Dataset itself is not serializable). */
    record DataShape(String name, String split, int channels, int height, int width, List<String> classNames,
                     String sha256, String source) implements Serializable {
        Dataset of(Chunk c) {
            return new Dataset(name, Split.valueOf(split), new FloatMatrix(c.labels().length,
                    channels * height * width, c.images()), c.labels(), channels, height, width, classNames, sha256,
                    source);
        }
    }

    /**
     * The model as bytes, broadcast to the executors: the checkpoint, and the manifest (when the model has one) with
     * only this checkpoint listed, so that an executor sets the model up exactly as the driver did.
     */
    record ModelFiles(String checkpointFile, byte[] checkpoint, byte[] manifest, int epoch, String tensor,
                      List<String> tensors, String convUnits, float[] mean, float[] std, String layout)
            implements Serializable {
        static ModelFiles of(ModelSeries series, Checkpoint cp, ModelOptions o, String tensor) {
            try {
                byte[] manifest = null;
                String file = cp.path().getFileName().toString();
                if (series.manifest() != null) {
                    file = series.dir().relativize(cp.path()).toString();
                    ObjectMapper json = new ObjectMapper();
                    ObjectNode m = (ObjectNode) json.readTree(Files.readAllBytes(series.dir().resolve(ModelSeries.MANIFEST)));
                    ArrayNode kept = json.createArrayNode();
                    for (JsonNode e : m.path("checkpoints")) {
                        if (e.path("epoch").asInt(-1) == cp.epoch()) {
                            kept.add(e);
                        }
                    }
                    m.set("checkpoints", kept);
                    manifest = json.writeValueAsBytes(m);
                }
                return new ModelFiles(file, Files.readAllBytes(cp.path()), manifest, cp.epoch(), tensor,
                        List.copyOf(o.tensors()), o.convUnits() == null ? null : o.convUnits().name(), o.mean(),
                        o.std(), o.layout());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the model " + cp.path(), e);
            }
        }

        /** This executor's copy of the model, written once per JVM into a temporary folder. */
        ModelSeries open() {
            return OPENED.computeIfAbsent(key(), k -> {
                try {
                    Path dir = Files.createTempDirectory("hav-model-");
                    dir.toFile().deleteOnExit();
                    Path f = dir.resolve(checkpointFile).normalize();
                    if (!f.startsWith(dir)) {
                        throw new HavException(checkpointFile, "checkpoint outside the model folder", "keep it inside");
                    }
                    Files.createDirectories(f.getParent());
                    Files.write(f, checkpoint);
                    ModelOptions o = new ModelOptions(tensors, convUnits == null ? null : ConvUnits.valueOf(convUnits),
                            mean, std, layout);
                    if (manifest != null) {
                        Files.write(dir.resolve(ModelSeries.MANIFEST), manifest);
                        return ModelSeries.ofDirectory(dir, o);
                    }
                    return ModelSeries.ofFile(f, o);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private String key() {
            return org.hiddenactivity.core.Provenance.sha256(checkpointFile + "\n" + java.util.Arrays.hashCode(checkpoint)
                    + "\n" + (manifest == null ? "" : new String(manifest, java.nio.charset.StandardCharsets.UTF_8))
                    + "\n" + tensors + convUnits + java.util.Arrays.toString(mean) + java.util.Arrays.toString(std)
                    + layout);
        }
    }

    /** The executor's model copies, by content (one per model and JVM). */
    private static final Map<String, ModelSeries> OPENED = new ConcurrentHashMap<>();

    /** One partition on an executor: the executor's session for the model, the same extractor as a local run. */
    static final class ExtractChunk implements Function<Chunk, Shard> {
        private final Broadcast<ModelFiles> model;
        private final DataShape shape;

        ExtractChunk(Broadcast<ModelFiles> model, DataShape shape) {
            this.model = model;
            this.shape = shape;
        }

        @Override
        public Shard call(Chunk c) {
            ModelFiles files = model.value();
            ModelSeries series = files.open();
            Checkpoint cp = series.checkpoint(files.epoch());
            String[] key = new String[1];
            OrtSessionSource shared = (bytes, file) -> {
                key[0] = ExecutorSessions.key(bytes);
                return ExecutorSessions.JVM.open(bytes, file);
            };
            CheckpointActivations all = new ActivationExtractor(ActivationExtractor.DEFAULT_BATCH, shared)
                    .extract(series, cp, shape.of(c), Progress.NONE);
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            String executor = env == null ? "none" : env.executorId();
            for (int i = 0; i < all.layers().size(); i++) {
                if (all.layers().get(i).tensor().equals(files.tensor())) {
                    FloatMatrix v = all.values().get(i);
                    return new Shard(c.start(), v.cols(), v.data(), all.predicted(), all.scores().cols(),
                            all.scores().data(), executor, ExecutorSessions.JVM.openedFor(key[0]));
                }
            }
            throw new HavException(files.tensor(), "the executor's copy of the model has no such layer",
                    "report this as a bug of hav's Spark module");
        }
    }
}
