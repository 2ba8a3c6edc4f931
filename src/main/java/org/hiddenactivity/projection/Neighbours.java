package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/**
 * Exact k nearest neighbours of every row (itself excluded), by squared Euclidean distance, ascending, ties broken by
 * the smaller index. Brute force over the upper tiles of {@link SquaredDistances#forEachUpperTile} (each pair of
 * points computed once, offered to both): exact, and for D in the hundreds faster than trees. The k distances
 * kept are then recomputed directly (summed in double in a fixed order): the GEMM formula loses precision to
 * cancellation (duplicates must get exactly 0; P would differ from scikit-learn's by up to 1e-4 relative), and
 * OpenBLAS's last bits may change with its thread count, which would make the embedding depend on it.
 *
 * @param n           number of points
 * @param k           neighbours per point
 * @param index       n x k neighbour indices, row-major
 * @param sqDistances n x k squared distances, row-major, ascending within a row
 */
record Neighbours(int n, int k, int[] index, float[] sqDistances) {
    /** Rows per block of neighbours whose distances {@link #recomputeExactly} sums together (3 MB at D = 784). */
    private static final int RECOMPUTE_BLOCK = 1024;

    /** kNN by the chosen search ({@link ScalableChoices#neighbourSearch} resolves AUTO by n and d). */
    static Neighbours search(FloatMatrix x, int k, TsneParameters.NeighbourSearch choice, Workers workers) {
        return ScalableChoices.neighbourSearch(choice, x.rows(), x.cols()) == TsneParameters.NeighbourSearch.APPROXIMATE
                ? ApproximateNeighbours.of(x, k, workers) : of(x, k, workers);
    }

    static Neighbours of(FloatMatrix x, int k, Workers workers) {
        int n = x.rows();
        checkK(n, k);
        int[] index = new int[n * k];
        float[] dist = new float[n * k];
        // a column equal in every row adds nothing to any distance: the tiles skip it, the exact sums keep x
        CandidatePools pools = poolsOfNearest(withoutConstantColumns(x), k, workers);
        workers.forChunks(n, 64, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                pools.finish(i, index, dist, i * k);
            }
        });
        recomputeExactly(x, index, dist, k, workers);
        workers.forChunks(n, 64, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                // nearly sorted already: the exact distances only reorder near-ties
                sortRow(index, dist, i * k, k);
            }
        });
        return new Neighbours(n, k, index, dist);
    }

    /**
     * Replaces every kept distance (row i, entry e: neighbour index[e]) by {@link SquaredDistances#exact}. Done by
     * blocks of neighbours, rows ascending within a block, so the block's rows stay in cache while the rows of i
     * stream past: in row order every neighbour is a random 3 KB read (memory-bound).
     */
    private static void recomputeExactly(FloatMatrix x, int[] index, float[] dist, int k, Workers workers) {
        int n = x.rows();
        int blocks = Workers.chunks(n, RECOMPUTE_BLOCK);
        int[] start = new int[blocks + 1];
        for (int j : index) {
            start[j / RECOMPUTE_BLOCK + 1]++;
        }
        for (int b = 0; b < blocks; b++) {
            start[b + 1] += start[b];
        }
        // entries grouped by their neighbour's block, in entry order (so rows ascending) within a group
        int[] fill = java.util.Arrays.copyOf(start, blocks);
        int[] entries = new int[index.length];
        for (int e = 0; e < index.length; e++) {
            entries[fill[index[e] / RECOMPUTE_BLOCK]++] = e;
        }
        workers.forChunks(blocks, 1, (block, from, to) -> {
            for (int q = start[block]; q < start[block + 1]; q++) {
                int e = entries[q];
                dist[e] = SquaredDistances.exact(x, e / k, index[e]);
            }
        });
    }

    /**
     * x without its constant columns (the same value in every row), or x itself when there are none; one column is
     * kept when all are constant. Image data often has such columns (67 of MNIST's 784 pixels over its 60000 training
     * images, 145 over the first 2000), and the GEMM's cost is proportional to the columns.
     */
    static FloatMatrix withoutConstantColumns(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        boolean[] constant = new boolean[d];
        java.util.Arrays.fill(constant, true);
        int left = d;
        for (int i = 1; i < n && left > 0; i++) {
            int base = i * d;
            for (int c = 0; c < d; c++) {
                if (constant[c] && v[base + c] != v[c]) {
                    constant[c] = false;
                    left--;
                }
            }
        }
        int kept = d - left;
        if (left == 0 || kept == 0 && d == 1) {
            return x;
        }
        int[] columns = new int[Math.max(1, kept)];
        for (int c = 0, o = 0; c < d; c++) {
            if (!constant[c]) {
                columns[o++] = c;
            }
        }
        int dd = columns.length;
        float[] out = new float[n * dd];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dd; c++) {
                out[i * dd + c] = v[i * d + columns[c]];
            }
        }
        return new FloatMatrix(n, dd, out);
    }

    /** Every row's pool of nearest candidates by the GEMM distances, each pair of rows computed once. */
    private static CandidatePools poolsOfNearest(FloatMatrix x, int k, Workers workers) {
        CandidatePools pools = new CandidatePools(x.rows(), k);
        // a tile offers its columns to its rows and, off the diagonal, its rows to its columns
        SquaredDistances.forEachUpperTile(x, workers, (r0, rows, c0, cols, tile) -> {
            workers.forChunks(rows, 16, (chunk, start, end) -> {
                for (int r = start; r < end; r++) {
                    pools.offer(r0 + r, r0 + r, tile, r * cols, cols, c0);
                }
            });
            if (c0 != r0) {
                // columns in chunks of 16: one chunk reads each tile row's cache line 16 times while it is hot
                workers.forChunks(cols, 16, (chunk, start, end) -> {
                    for (int c = start; c < end; c++) {
                        pools.offerColumn(c0 + c, c0 + c, tile, c, cols, rows, r0);
                    }
                });
            }
        });
        return pools;
    }

    /** Neighbours from a full n x n row-major dissimilarity matrix (values used as they are, as squared distances). */
    static Neighbours ofPrecomputed(double[] distances, int n, int k) {
        checkK(n, k);
        int[] index = new int[n * k];
        float[] dist = new float[n * k];
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[j] = (float) distances[i * n + j];
            }
            select(row, 0, n, i, k, index, dist, i * k);
        }
        return new Neighbours(n, k, index, dist);
    }

    private static void checkK(int n, int k) {
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("need 1 <= k <= n - 1, got k = " + k + " for n = " + n);
        }
    }

    /**
     * The k smallest of buf[off .. off+n) except position {@code self}, written ascending into
     * outIndex/outDist at {@code out}. A bounded max-heap: O(n log k), and O(n) when few candidates enter.
     */
    static void select(float[] buf, int off, int n, int self, int k, int[] outIndex, float[] outDist, int out) {
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            float v = buf[off + j];
            if (size < k) {
                // sift up
                int c = out + size++;
                while (c > out) {
                    int p = out + (c - out - 1) / 2;
                    if (!greater(v, j, outDist[p], outIndex[p])) {
                        break;
                    }
                    outDist[c] = outDist[p];
                    outIndex[c] = outIndex[p];
                    c = p;
                }
                outDist[c] = v;
                outIndex[c] = j;
            } else if (greater(outDist[out], outIndex[out], v, j)) {
                siftDown(outIndex, outDist, out, k, v, j);
            }
        }
        heapSort(outIndex, outDist, out, k);
    }

    /** Sorts the full max-heap at base ascending, in place: repeatedly moves the maximum to the end. */
    private static void heapSort(int[] index, float[] dist, int base, int k) {
        for (int end = k - 1; end > 0; end--) {
            float topD = dist[base];
            int topI = index[base];
            float lastD = dist[base + end];
            int lastI = index[base + end];
            dist[base + end] = topD;
            index[base + end] = topI;
            siftDown(index, dist, base, end, lastD, lastI);
        }
    }

    /** Places (v, j) at the root of the max-heap at base with the given size and sifts it down. */
    private static void siftDown(int[] idx, float[] dist, int base, int size, float v, int j) {
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= size) {
                break;
            }
            int r = l + 1;
            int m = l;
            if (r < size && greater(dist[base + r], idx[base + r], dist[base + l], idx[base + l])) {
                m = r;
            }
            if (!greater(dist[base + m], idx[base + m], v, j)) {
                break;
            }
            dist[base + c] = dist[base + m];
            idx[base + c] = idx[base + m];
            c = m;
        }
        dist[base + c] = v;
        idx[base + c] = j;
    }

    /** (d1, i1) after (d2, i2) in the order: distance, then index. */
    private static boolean greater(float d1, int i1, float d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    /** Insertion sort of one row by (distance, index); rows are short. */
    static void sortRow(int[] idx, float[] dist, int base, int k) {
        for (int a = base + 1; a < base + k; a++) {
            float v = dist[a];
            int j = idx[a];
            int b = a - 1;
            while (b >= base && greater(dist[b], idx[b], v, j)) {
                dist[b + 1] = dist[b];
                idx[b + 1] = idx[b];
                b--;
            }
            dist[b + 1] = v;
            idx[b + 1] = j;
        }
    }
}
