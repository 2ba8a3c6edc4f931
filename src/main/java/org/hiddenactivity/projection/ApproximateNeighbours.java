package org.hiddenactivity.projection;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * Approximate k nearest neighbours of every row by an HNSW graph (Malkov and Yashunin 2018; hnswlib's Java port,
 * {@code com.github.jelmerk:hnswlib-core}), built and queried on all workers. Same contract as {@link Neighbours#of}
 * (itself excluded, ascending, ties by index, distances recomputed exactly in double), except that a few true
 * neighbours may be missing (the recall with the parameters below is in benchmarks/README.md; {@code hav bench tsne
 * --recall} prints it for every input).
 * <p>
 * Not bitwise reproducible: hnswlib draws the graph levels from an unseeded ThreadLocalRandom and inserts in
 * parallel, so two runs can differ in the few neighbours they miss (and so in the embedding's last digits and
 * beyond). The exact search stays the reference and the default below {@link ScalableChoices#APPROXIMATE_MIN_POINTS}.
 */
final class ApproximateNeighbours {
    /** Graph degree (hnswlib's default). */
    static final int M = 16;
    /** Candidate list while building: 100, because 64 lost recall at k = 90 (benchmarks/README.md). */
    static final int EF_CONSTRUCTION = 100;
    /** Candidate list while searching, at least k + 10. */
    static final int EF_SEARCH = 100;

    private ApproximateNeighbours() {}

    /** One row of the input as an hnswlib item (ids are row numbers). */
    private record Row(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    /** Squared Euclidean distance in float with four independent sums (hnswlib's own takes the square root). */
    private static final class SquaredEuclidean implements DistanceFunction<float[], Float> {
        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] a, float[] b) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int d = a.length;
            int k = 0;
            for (; k + 3 < d; k += 4) {
                float t0 = a[k] - b[k];
                float t1 = a[k + 1] - b[k + 1];
                float t2 = a[k + 2] - b[k + 2];
                float t3 = a[k + 3] - b[k + 3];
                s0 += t0 * t0;
                s1 += t1 * t1;
                s2 += t2 * t2;
                s3 += t3 * t3;
            }
            for (; k < d; k++) {
                float t = a[k] - b[k];
                s0 += t * t;
            }
            return (s0 + s1) + (s2 + s3);
        }
    }

    static Neighbours of(FloatMatrix x, int k, Workers workers) {
        int n = x.rows();
        int d = x.cols();
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("need 1 <= k <= n - 1, got k = " + k + " for n = " + n);
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            System.arraycopy(x.data(), i * d, v, 0, d);
            rows.add(new Row(i, v));
        }
        HnswIndex<Integer, float[], Row, Float> index = HnswIndex.newBuilder(d, new SquaredEuclidean(), n)
                .withM(M).withEfConstruction(EF_CONSTRUCTION).withEf(Math.max(EF_SEARCH, k + 10)).build();
        try {
            index.addAll(rows, workers.threads(), (done, max) -> { }, Integer.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HavException("approximate neighbours", "interrupted while building the HNSW graph", "rerun",
                    HavException.EXIT_RUNTIME, e);
        }
        int[] index2 = new int[n * k];
        float[] dist = new float[n * k];
        workers.forChunks(n, 64, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                List<SearchResult<Row, Float>> found = index.findNearest(rows.get(i).vector(), k + 1);
                int got = 0;
                for (SearchResult<Row, Float> r : found) {
                    int j = r.item().id();
                    if (j != i && got < k) {
                        index2[i * k + got++] = j;
                    }
                }
                if (got < k) {
                    // fewer than k found (tiny inputs, k close to n): this row by brute force
                    float[] row = new float[n];
                    for (int j = 0; j < n; j++) {
                        row[j] = SquaredDistances.exact(x, i, j);
                    }
                    Neighbours.select(row, 0, n, i, k, index2, dist, i * k);
                }
                for (int e = i * k; e < (i + 1) * k; e++) {
                    dist[e] = SquaredDistances.exact(x, i, index2[e]);
                }
                Neighbours.sortRow(index2, dist, i * k, k);
            }
        });
        return new Neighbours(n, k, index2, dist);
    }
}
