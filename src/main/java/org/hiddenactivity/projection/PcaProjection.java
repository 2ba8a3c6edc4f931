package org.hiddenactivity.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;

/**
 * PCA as a {@link Projection}: the rows projected on the top principal axes of the data, centred, in the data's own
 * units (the method of {@link Initialisation}'s PCA start: randomized subspace iteration with oversampling, axes fitted
 * on at most 10000 evenly spaced rows, each axis's largest entry made positive). Deterministic for a seed and any
 * thread count. Data with fewer columns than components get zero columns.
 */
public final class PcaProjection implements Projection {
    private final int components;
    private final long seed;
    private final int threads;

    /** @param threads CPU threads, {@code <= 0} = all cores */
    public PcaProjection(int components, long seed, int threads) {
        this.components = components;
        this.seed = seed;
        this.threads = threads;
    }

    @Override
    public Method method() {
        return Method.PCA;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method().id());
        m.put("nComponents", components);
        m.put("randomState", seed);
        m.put("sampleRows", Initialisation.SAMPLE_ROWS);
        return m;
    }

    @Override
    public Embedding fit(FloatMatrix data, FloatMatrix initial, Progress progress) {
        long start = System.nanoTime();
        TsneInput.checkMatrix(data, "PCA input");
        int n = data.rows();
        double[] y;
        int used;
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            used = workers.threads();
            y = Initialisation.principalComponents(data, components, seed, workers);
        }
        float[] f = new float[y.length];
        for (int e = 0; e < y.length; e++) {
            f[e] = (float) y[e];
        }
        progress.step(1);
        return new Embedding(new FloatMatrix(n, components, f), Double.NaN, new double[0],
                (System.nanoTime() - start) / 1e9, "cpu", used + " threads", Double.NaN);
    }

    @Override
    public long steps(int n) {
        return 1;
    }
}
