package org.hiddenactivity.projection;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.hiddenactivity.core.FloatMatrix;

/**
 * All pairwise squared Euclidean distances of the rows of a matrix, one tile of rows at a time:
 * ||x_i - x_j||^2 = ||x_i||^2 + ||x_j||^2 - 2 x_i.x_j with the inner products from OpenBLAS {@code cblas_sgemm}
 * (measured faster than OpenCV batchDistance for MNIST-sized inputs, see benchmarks/README.md). Memory stays at one
 * tile (at most about 32 MB) whatever N is. Distances are float and clamped at 0; near-duplicates lose precision to
 * cancellation and the last bits depend on OpenBLAS's thread count, so callers that need exact, reproducible
 * distances recompute the few they keep with {@link #exact}.
 */
final class SquaredDistances {
    /** Receives one row of squared distances: {@code buf[off + j]} for j in [0, n). */
    interface RowConsumer {
        void accept(int row, float[] buf, int off);
    }

    private static final long TILE_FLOATS = 8L << 20;

    private SquaredDistances() {}

    /**
     * Calls {@code consumer} once for every row, rows of one tile in parallel on {@code workers}. Each worker runs a
     * single-threaded SGEMM on a fixed slice of {@link #SLICE_ROWS} rows, so every distance comes from the same
     * arithmetic whatever the thread count (OpenBLAS's own split of one SGEMM over its threads promises no such thing).
     */
    static void forEachRow(FloatMatrix x, Workers workers, RowConsumer consumer) {
        int n = x.rows();
        int d = x.cols();
        float[] norms = norms(x);
        int tileRows = (int) Math.max(1, Math.min(n, TILE_FLOATS / Math.max(1, n)));
        float[] buf = new float[tileRows * n];
        openblas.blas_set_num_threads(1);
        try (FloatPointer a = new FloatPointer(x.data());
             FloatPointer c = new FloatPointer((long) tileRows * n)) {
            for (int first = 0; first < n; first += tileRows) {
                int rows = Math.min(tileRows, n - first);
                final int base = first;
                workers.forChunks(rows, SLICE_ROWS, (chunk, start, end) -> {
                    // views into the same memory; copies of a Pointer are never closed (closing one frees the original's)
                    FloatPointer left = new FloatPointer(a).position((base + start) * (long) d);
                    FloatPointer right = new FloatPointer(a);
                    FloatPointer out = new FloatPointer(c).position(start * (long) n);
                    // C[slice x n] = X[base + start .. base + end) * X^T
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans,
                            end - start, n, d, 1f, left, d, right, d, 0f, out, n);
                    out.get(buf, start * n, (end - start) * n);
                    for (int r = start; r < end; r++) {
                        int i = base + r;
                        int off = r * n;
                        float ni = norms[i];
                        for (int j = 0; j < n; j++) {
                            float v = ni + norms[j] - 2f * buf[off + j];
                            buf[off + j] = v > 0f ? v : 0f;
                        }
                        consumer.accept(i, buf, off);
                    }
                });
            }
        }
    }

    /**
     * Receives one tile of squared distances between rows [r0, r0 + rows) and rows [c0, c0 + cols) (c0 &gt;= r0):
     * {@code tile[r * cols + c]}.
     */
    interface TileConsumer {
        void accept(int r0, int rows, int c0, int cols, float[] tile);
    }

    /** Tile side of {@link #forEachUpperTile}: 4 MB per tile, large enough for OpenBLAS to run at full speed. */
    static final int TILE_SIDE = 1024;

    /**
     * Every pair of rows once: the tiles on and above the diagonal of the n x n distance matrix, in a fixed order
 * (the diagonal tiles first),
     * each computed by one {@code cblas_sgemm} on all threads. Half the arithmetic of {@link #forEachRow}; meant for
     * consumers that update both rows of a pair (the kNN of {@link Neighbours#of}). The consumer runs on the calling
     * thread and may use {@code workers} itself.
     */
    static void forEachUpperTile(FloatMatrix x, Workers workers, TileConsumer consumer) {
        int n = x.rows();
        int d = x.cols();
        float[] norms = norms(x);
        int side = Math.min(n, TILE_SIDE);
        float[] tile = new float[side * side];
        // our workers each run single-threaded SGEMMs on slices of a tile: OpenBLAS's own threads spin after every
        // call and would take the cores from the Java loops between the calls (measured slower, benchmarks/README.md)
        openblas.blas_set_num_threads(1);
        try (FloatPointer a = new FloatPointer(x.data());
             FloatPointer c = new FloatPointer((long) side * side)) {
            // the diagonal tiles first: a kNN consumer then starts every row with a full set of fair candidates
            for (int pass = 0; pass < 2; pass++) {
                for (int r0 = 0; r0 < n; r0 += side) {
                    int rows = Math.min(side, n - r0);
                    for (int c0 = pass == 0 ? r0 : r0 + side; c0 < (pass == 0 ? r0 + 1 : n); c0 += side) {
                        int cols = Math.min(side, n - c0);
                        tile(a, c, tile, norms, d, r0, rows, c0, cols, workers);
                        consumer.accept(r0, rows, c0, cols, tile);
                    }
                }
            }
        }
    }

    /** Rows of one tile per slice: C = X[r ..) X[c0 ..)^T by SGEMM, copied into the tile and made distances. */
    private static final int SLICE_ROWS = 128;

    private static void tile(FloatPointer a, FloatPointer c, float[] tile, float[] norms, int d, int r0, int rows,
                             int c0, int cols, Workers workers) {
        workers.forChunks(rows, SLICE_ROWS, (chunk, start, end) -> {
            // views into the same memory; copies of a Pointer are never closed (closing one frees the original's)
            FloatPointer left = new FloatPointer(a).position((r0 + start) * (long) d);
            FloatPointer right = new FloatPointer(a).position(c0 * (long) d);
            FloatPointer out = new FloatPointer(c).position(start * (long) cols);
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans,
                    end - start, cols, d, 1f, left, d, right, d, 0f, out, cols);
            out.get(tile, start * cols, (end - start) * cols);
            for (int r = start; r < end; r++) {
                float ni = norms[r0 + r];
                int off = r * cols;
                for (int j = 0; j < cols; j++) {
                    float v = ni + norms[c0 + j] - 2f * tile[off + j];
                    tile[off + j] = v > 0f ? v : 0f;
                }
            }
        });
    }

    /** Squared norm of every row, summed in double. */
    static float[] norms(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = i * d, e = k + d; k < e; k++) {
                s += (double) v[k] * v[k];
            }
            out[i] = (float) s;
        }
        return out;
    }

    /** The squared distance of rows i and j summed directly in double, in a fixed order (no cancellation). */
    static float exact(FloatMatrix x, int i, int j) {
        int d = x.cols();
        float[] v = x.data();
        int a = i * d;
        int b = j * d;
        // four independent sums for instruction-level parallelism; the order is fixed, so the result is too
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            double t0 = v[a + k] - v[b + k];
            double t1 = v[a + k + 1] - v[b + k + 1];
            double t2 = v[a + k + 2] - v[b + k + 2];
            double t3 = v[a + k + 3] - v[b + k + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; k < d; k++) {
            double t = v[a + k] - v[b + k];
            s0 += t * t;
        }
        return (float) ((s0 + s1) + (s2 + s3));
    }
}
