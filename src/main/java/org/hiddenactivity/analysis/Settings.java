package org.hiddenactivity.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.bundling.BundlingParameters;
import org.hiddenactivity.core.RecordFields;
import org.hiddenactivity.neurons.Mds;
import org.hiddenactivity.projection.Metrics;

/**
 * Every result-changing setting that has no option of its own, resolved once from the engine's defaults, as
 * provenance records it ("settings"). The options themselves are recorded as given ("options"), the t-SNE
 * parameters under "tsne"; small inputs lower a perplexity or a k by one shared rule each
 * ({@code TsneParameters.forPoints}, {@code Metrics.usableK}), which warns, and the warnings are in report.json.
 */
final class Settings {
    private Settings() {}

    /** The settings of a run with {@code options}, plus the groups later stages recorded ({@code recorded}). */
    static Map<String, Object> resolved(AnalysisOptions options, Map<String, Object> recorded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundling", options.bundle() ? fields(BundlingParameters.defaults()) : Map.of("enabled", false));
        Map<String, Object> neurons = new LinkedHashMap<>();
        neurons.put("dissimilarity", "1 - |Pearson r| of two neurons' activations");
        neurons.put("importance", "extremely randomized trees, mean decrease in impurity, one-vs-rest");
        neurons.put("importance_trees", NeuronAnalysis.TREES);
        neurons.put("tsne", "the run's t-SNE parameters (\"tsne\"), on the dissimilarities");
        neurons.put("mds", fields(Mds.Parameters.defaults().withThreads(options.cpuThreads())));
        neurons.put("alignment", "after map Procrustes-aligned onto the before map over the neurons alive in both");
        neurons.put("map_neighbours", NeuronAnalysis.NEURON_NEIGHBOURS);
        m.put("neuron_maps", neurons);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trustworthiness_k", Metrics.TRUSTWORTHINESS_K);
        metrics.put("knn_preservation_k", Metrics.KNN_PRESERVATION_K);
        metrics.put("neighbourhood_hit_k", Metrics.NEIGHBOURHOOD_HIT_K);
        m.put("metrics", metrics);
        m.putAll(recorded);
        return m;
    }

    /** A record's components by name (nested records as maps). */
    static Map<String, Object> fields(Record r) {
        return RecordFields.of(r);
    }
}
