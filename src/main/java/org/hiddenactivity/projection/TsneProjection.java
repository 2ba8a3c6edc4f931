package org.hiddenactivity.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hiddenactivity.core.RecordFields;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;

/** t-SNE as a {@link Projection}: one {@link TsneBackend} (CPU or CUDA) with its {@link TsneParameters}. */
public final class TsneProjection implements Projection {
    private final TsneBackend backend;
    private final TsneParameters params;

    /** Takes ownership of {@code backend} ({@link #close()} closes it). */
    public TsneProjection(TsneBackend backend, TsneParameters params) {
        this.backend = backend;
        this.params = params;
    }

    public TsneBackend backend() {
        return backend;
    }

    public TsneParameters parameters() {
        return params;
    }

    @Override
    public Method method() {
        return Method.TSNE;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method().id());
        m.put("backend", backend.name());
        m.putAll(RecordFields.of(params, Set.of("threads")));
        m.putAll(backend.settings());
        return m;
    }

    @Override
    public Embedding fit(FloatMatrix data, FloatMatrix initial, Progress progress) {
        return backend.embed(data, params, initial, progress);
    }

    @Override
    public long steps(int n) {
        return params.maxIter();
    }

    @Override
    public void close() {
        backend.close();
    }
}
