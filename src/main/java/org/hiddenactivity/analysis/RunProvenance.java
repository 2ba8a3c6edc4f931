package org.hiddenactivity.analysis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.TsneParameters;

/**
 * Where an analysis result came from, as a typed record that is written with every output ({@code "provenance"} in
 * its JSON) and reads back whole ({@link #read}, {@link #fromJson}), as Tribuo records a model's provenance. It holds
 * every setting that changes a result: the engine's version ({@code projection.EngineVersion}), the inputs and their
 * hashes, the t-SNE parameters, the backend and its own settings (e.g. CUDA's exact-repulsion threshold), dynamic
 * t-SNE's lambda, bundling. The projection cache keys hold the same engine version and backend settings.
 * JSON names are snake_case ({@code checkpoints_sha256}, {@code n_components}, ...).
 *
 * @param schema            version of this layout ({@link #SCHEMA})
 * @param command           the hav command that wrote it
 * @param created           when (ISO-8601 instant)
 * @param engine            the t-SNE engine's version and fingerprint
 * @param environment       JVM, OS, CPU and library versions
 * @param model             model name
 * @param checkpointsSha256 "epoch E" to the checkpoint's SHA-256
 * @param modelSetup        the model stage's description of the model (ModelSeries.describe(): folder, manifest,
 *                          layers, input layout; JSON values as the model stage writes them)
 * @param normalisation     the input normalisation applied
 * @param dataset           dataset name
 * @param datasetSha256     the dataset's SHA-256
 * @param datasetSource     where the dataset was read from (Dataset.describe())
 * @param observations      observations used
 * @param seed              seed of every random choice
 * @param tsne              the t-SNE parameters as passed to the backend (before the small-input rule)
 * @param backendRequested  cpu, cuda or auto, as asked
 * @param backend           the backend chosen
 * @param device            where it runs
 * @param backendSettings   the backend's result-changing settings besides {@code tsne}
 * @param lambda            dynamic t-SNE's movement penalty
 * @param bundle            whether trails are bundled
 * @param imageSize         figure size in pixels
 * @param settings          every other result-changing setting as resolved once from the engine's defaults
 *                          (bundling parameters, neuron maps, metrics' k, bootstrap), by group; null in files
 *                          written before it was recorded
 * @param seeds             the named random streams ({@code core.Seeds}) and their seeds; null in older files
 * @param options           the command's options as given or defaulted, by option name (paths as --record-paths
 *                          says; not --out or --help); null in older files and outside the CLI
 */
public record RunProvenance(int schema, String command, String created, String engine,
                            Environment.Info environment, String model, SortedMap<String, String> checkpointsSha256,
                            Map<String, Object> modelSetup, String normalisation, String dataset,
                            String datasetSha256, String datasetSource, int observations, long seed,
                            TsneParameters tsne,
                            String backendRequested, String backend, String device,
                            SortedMap<String, String> backendSettings, double lambda, boolean bundle,
                            int imageSize, Map<String, Object> settings, Map<String, Long> seeds,
                            Map<String, Object> options) {
    /** The layout written now; {@link #fromJson} refuses others by name. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    public RunProvenance {
        checkpointsSha256 = checkpointsSha256 == null ? null : java.util.Collections.unmodifiableSortedMap(
                new java.util.TreeMap<>(checkpointsSha256));
        backendSettings = backendSettings == null ? null : java.util.Collections.unmodifiableSortedMap(
                new java.util.TreeMap<>(backendSettings));
    }

    /** The positional form before settings, seeds and options were recorded (prefer {@link #builder}). */
    public RunProvenance(int schema, String command, String created, String engine, Environment.Info environment,
                         String model, SortedMap<String, String> checkpointsSha256, Map<String, Object> modelSetup,
                         String normalisation, String dataset, String datasetSha256, String datasetSource,
                         int observations, long seed, TsneParameters tsne, String backendRequested, String backend,
                         String device, SortedMap<String, String> backendSettings, double lambda, boolean bundle,
                         int imageSize) {
        this(schema, command, created, engine, environment, model, checkpointsSha256, modelSetup, normalisation,
                dataset, datasetSha256, datasetSource, observations, seed, tsne, backendRequested, backend, device,
                backendSettings, lambda, bundle, imageSize, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named setters, one per field; each sets its own field only. The schema is {@link #SCHEMA}. */
    public static final class Builder {
        private String command;
        private String created;
        private String engine;
        private Environment.Info environment;
        private String model;
        private SortedMap<String, String> checkpointsSha256;
        private Map<String, Object> modelSetup;
        private String normalisation;
        private String dataset;
        private String datasetSha256;
        private String datasetSource;
        private int observations;
        private long seed;
        private TsneParameters tsne;
        private String backendRequested;
        private String backend;
        private String device;
        private SortedMap<String, String> backendSettings;
        private double lambda;
        private boolean bundle;
        private int imageSize;
        private Map<String, Object> settings;
        private Map<String, Long> seeds;
        private Map<String, Object> options;

        public Builder command(String v) { command = v; return this; }
        public Builder created(String v) { created = v; return this; }
        public Builder engine(String v) { engine = v; return this; }
        public Builder environment(Environment.Info v) { environment = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder checkpointsSha256(SortedMap<String, String> v) { checkpointsSha256 = v; return this; }
        public Builder modelSetup(Map<String, Object> v) { modelSetup = v; return this; }
        public Builder normalisation(String v) { normalisation = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder datasetSha256(String v) { datasetSha256 = v; return this; }
        public Builder datasetSource(String v) { datasetSource = v; return this; }
        public Builder observations(int v) { observations = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder tsne(TsneParameters v) { tsne = v; return this; }
        public Builder backendRequested(String v) { backendRequested = v; return this; }
        public Builder backend(String v) { backend = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder backendSettings(SortedMap<String, String> v) { backendSettings = v; return this; }
        public Builder lambda(double v) { lambda = v; return this; }
        public Builder bundle(boolean v) { bundle = v; return this; }
        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder settings(Map<String, Object> v) { settings = v; return this; }
        public Builder seeds(Map<String, Long> v) { seeds = v; return this; }
        public Builder options(Map<String, Object> v) { options = v; return this; }

        public RunProvenance build() {
            return new RunProvenance(SCHEMA, command, created, engine, environment, model, checkpointsSha256,
                    modelSetup, normalisation, dataset, datasetSha256, datasetSource, observations, seed, tsne,
                    backendRequested, backend, device, backendSettings, lambda, bundle, imageSize, settings, seeds,
                    options);
        }
    }

    /** The JSON tree of this record, as it is written under "provenance". */
    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    /** This record as JSON-ready maps and values (for writers that assemble a document). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return JSON.convertValue(this, Map.class);
    }

    /** The record a {@link #toJson} tree describes; every field must be there, none unknown. */
    public static RunProvenance fromJson(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new HavException(source, "no provenance object", "give a result JSON that hav wrote");
        }
        JsonNode schema = node.get("schema");
        if (schema == null || schema.asInt() != SCHEMA) {
            throw new HavException(source, "provenance schema " + (schema == null ? "missing" : schema.toString())
                    + ", this hav reads schema " + SCHEMA, "rerun the analysis with this version of hav");
        }
        try {
            RunProvenance p = JSON.treeToValue(node, RunProvenance.class);
            if (p.command() == null || p.tsne() == null || p.environment() == null) {
                throw new HavException(source, "provenance lacks command, tsne or environment",
                        "give a result JSON that hav wrote");
            }
            return p;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HavException(source, "unreadable provenance: " + e.getOriginalMessage(),
                    "give a result JSON that hav wrote");
        } catch (IllegalArgumentException e) {
            throw new HavException(source, "unreadable provenance: " + e.getMessage(), "give a result JSON that hav wrote");
        }
    }

    /** The provenance of a result file hav wrote (report.json or an analysis' .json). */
    public static RunProvenance read(Path file) {
        return fromJson(readDocument(file).get("provenance"), file.toString());
    }

    /** A result file's whole JSON document, or a {@link HavException} naming the file. */
    public static JsonNode readDocument(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new HavException(file.toString(), Files.isDirectory(file) ? "is a folder" : "does not exist",
                    "give the report.json, or an analysis .json, of a run");
        }
        try {
            JsonNode doc = JSON.readTree(file.toFile());
            if (doc == null || !doc.isObject()) {
                throw new HavException(file.toString(), "is not a JSON object", "give a result JSON that hav wrote");
            }
            return doc;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HavException(file.toString(), "is not valid JSON ("
                    + e.getOriginalMessage().replaceAll("\\s*\\(start marker.*", "") + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")",
                    "give a result JSON that hav wrote");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot be read: " + e.getMessage(), "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }
}
