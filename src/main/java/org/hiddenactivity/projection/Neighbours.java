package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/**
 * Exact k nearest neighbours of every row (itself excluded), by squared Euclidean distance, ascending, ties broken by
 * the smaller index. Brute force over {@link SquaredDistances} tiles: exact, and for D in the hundreds faster than
 * trees. The k distances kept are then recomputed directly (summed in double in a fixed order): the GEMM formula
 * loses precision to cancellation (duplicates must get exactly 0), and OpenBLAS's last bits change with its thread
 * count, which would make the embedding depend on the number of threads.
 *
 * @param n           number of points
 * @param k           neighbours per point
 * @param index       n x k neighbour indices, row-major
 * @param sqDistances n x k squared distances, row-major, ascending within a row
 */
record Neighbours(int n, int k, int[] index, float[] sqDistances) {
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
        SquaredDistances.forEachRow(x, workers, (i, buf, off) -> {
            select(buf, off, n, i, k, index, dist, i * k);
            for (int e = i * k; e < (i + 1) * k; e++) {
                dist[e] = SquaredDistances.exact(x, i, index[e]);
            }
            sortRow(index, dist, i * k, k);
        });
        return new Neighbours(n, k, index, dist);
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
        // heap sort in place: repeatedly move the maximum to the end
        for (int end = k - 1; end > 0; end--) {
            float topD = outDist[out];
            int topI = outIndex[out];
            float lastD = outDist[out + end];
            int lastI = outIndex[out + end];
            outDist[out + end] = topD;
            outIndex[out + end] = topI;
            siftDown(outIndex, outDist, out, end, lastD, lastI);
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
