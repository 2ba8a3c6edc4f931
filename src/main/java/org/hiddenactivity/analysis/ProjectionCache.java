package org.hiddenactivity.analysis;

import org.hiddenactivity.core.Warnings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Provenance;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.EngineVersion;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;

/**
 * Projections saved as .npy keyed by a hash of everything they depend on ({@link #key}: engine version, backend and
 * its settings, parameters, seed, input hashes), as the notebook cached them, but keyed so a change of any is a miss. {@code fresh} recomputes and overwrites.
 */
public final class ProjectionCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final boolean fresh;
    private int hits;
    private int misses;

    public ProjectionCache(Path dir, boolean fresh) {
        this.dir = dir;
        this.fresh = fresh;
    }

    /**
     * The key of a projection: everything its result depends on besides the input hashes in {@code parts}: the
     * engine's version and fingerprint ({@link EngineVersion}), the backend and its own settings
     * ({@link TsneBackend#settings()}, e.g. CUDA's exact-repulsion threshold), and the t-SNE parameters.
     */
    public static String key(String kind, TsneBackend backend, TsneParameters params, String... parts) {
        StringBuilder key = new StringBuilder(kind).append("|engine=").append(EngineVersion.id())
                .append("|backend=").append(backend.name()).append(new java.util.TreeMap<>(backend.settings()))
                .append('|').append(params);
        for (String part : parts) {
            key.append('|').append(part);
        }
        return key.toString();
    }

    /** The key of a projection by any method: engine version, the method's settings, then {@code parts}. */
    public static String key(String kind, org.hiddenactivity.projection.Projection projection, String... parts) {
        StringBuilder key = new StringBuilder(kind).append("|engine=").append(EngineVersion.id())
                .append('|').append(projection.settings());
        for (String part : parts) {
            key.append('|').append(part);
        }
        return key.toString();
    }

    /** Returns the cached embedding for {@code key}, or computes, stores and returns it. */
    public Embedding getOrCompute(String key, Supplier<Embedding> compute) {
        String hash = Provenance.sha256(key);
        Path points = dir.resolve(hash + ".npy");
        Path meta = dir.resolve(hash + ".json");
        if (!fresh && Files.isRegularFile(points) && Files.isRegularFile(meta)) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON.readValue(meta.toFile(), Map.class);
                FloatMatrix y = Npy.readMatrix(points);
                double[] history = ((java.util.List<?>) m.getOrDefault("kl_history", java.util.List.of())).stream()
                        .mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                synchronized (this) {
                    hits++;
                }
                return new Embedding(y, number(m.get("kl")), history, number(m.get("seconds")),
                        (String) m.get("backend"), (String) m.get("device"), number(m.get("perplexity")),
                        Boolean.TRUE.equals(m.get("kl_exact")));
            } catch (IOException | RuntimeException e) {
                Warnings.warn("ignoring unreadable cache entry " + points + " (" + e.getMessage() + ")");
            }
        }
        Embedding e = compute.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("kl", e.klDivergence());
        m.put("kl_exact", e.klExact());
        m.put("kl_history", e.klHistory());
        m.put("seconds", e.seconds());
        m.put("backend", e.backend());
        m.put("device", e.device());
        m.put("perplexity", e.perplexity());
        try {
            // points first, metadata last: an entry counts only when both exist
            Npy.write(points, e.points());
            AtomicFiles.writeString(meta, JSON.writeValueAsString(m));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        synchronized (this) {
            misses++;
        }
        return e;
    }

    /** A stored number; UMAP and PCA have no KL or perplexity, which Jackson writes as the string "NaN". */
    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v);
    }

    public synchronized int hits() {
        return hits;
    }

    public synchronized int misses() {
        return misses;
    }
}
