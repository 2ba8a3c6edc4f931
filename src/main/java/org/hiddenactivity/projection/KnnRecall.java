package org.hiddenactivity.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;

/** The benchmark's check of the approximate kNN: both searches timed on the same input, and the recall. */
public final class KnnRecall {
    private KnnRecall() {}

    /** {k, exact_seconds, approximate_seconds, recall} for the k nearest neighbours of every row of x. */
    public static Map<String, Object> measure(FloatMatrix x, int k, int threads) {
        int kk = Math.min(k, x.rows() - 1);
        try (Workers workers = new Workers(Workers.resolve(threads))) {
            long t0 = System.nanoTime();
            Neighbours exact = Neighbours.of(x, kk, workers);
            long t1 = System.nanoTime();
            Neighbours approximate = ApproximateNeighbours.of(x, kk, workers);
            long t2 = System.nanoTime();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("k", kk);
            out.put("exact_seconds", (t1 - t0) / 1e9);
            out.put("approximate_seconds", (t2 - t1) / 1e9);
            out.put("recall", Recall.of(exact, approximate));
            out.put("hnsw", "M " + ApproximateNeighbours.M + ", efConstruction " + ApproximateNeighbours.EF_CONSTRUCTION
                    + ", ef " + Math.max(ApproximateNeighbours.EF_SEARCH, kk + 10));
            return out;
        }
    }
}
