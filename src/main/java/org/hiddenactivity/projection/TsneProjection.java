package org.hiddenactivity.projection;

import java.util.LinkedHashMap;
import java.util.Map;
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
        for (var c : TsneParameters.class.getRecordComponents()) {
            if (c.getName().equals("threads")) {
                continue;
            }
            try {
                Object v = c.getAccessor().invoke(params);
                m.put(c.getName(), v instanceof Enum<?> e ? e.name() : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
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
