package org.hiddenactivity.projection;

import org.hiddenactivity.core.FloatMatrix;

/**
 * Exact k nearest neighbours in an embedding (itself excluded, by squared distance summed in float in coordinate
 * order, ties by the smaller index): the same lists as brute force, in O(N k) for 2-D maps. Points are bucketed in a
 * uniform grid of about {@link #POINTS_PER_CELL} points per cell; each point scans rings of cells around its own
 * until the k-th distance found is below the nearest any unscanned cell can be. Written here rather than taken
 * from a library: a k-d tree (e.g. Smile's, GPL) would not keep the brute-force tie order the metrics' references
 * use. Other dimensions fall back to brute force.
 */
final class LowNeighbours {
    static final int POINTS_PER_CELL = 4;

    private LowNeighbours() {}

    /** n x k row-major neighbour indices, ascending by (distance, index). */
    static int[] of(FloatMatrix low, int k, Workers workers) {
        int n = low.rows();
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("need 1 <= k <= n - 1, got k = " + k + " for n = " + n);
        }
        return low.cols() == 2 ? grid(low.data(), n, k, workers) : bruteForce(low, k, workers);
    }

    private static int[] grid(float[] v, int n, int k, Workers workers) {
        float minX = Float.POSITIVE_INFINITY;
        float minY = Float.POSITIVE_INFINITY;
        float maxX = Float.NEGATIVE_INFINITY;
        float maxY = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, v[2 * i]);
            maxX = Math.max(maxX, v[2 * i]);
            minY = Math.min(minY, v[2 * i + 1]);
            maxY = Math.max(maxY, v[2 * i + 1]);
        }
        double w = Math.max(maxX - minX, 1e-30);
        double h = Math.max(maxY - minY, 1e-30);
        double side = Math.sqrt(w * h * POINTS_PER_CELL / n);
        // a very elongated map: cells no thinner than the short side allows
        side = Math.max(side, Math.max(w, h) / Math.max(1, n / POINTS_PER_CELL));
        int cols = (int) Math.min(1 << 15, Math.max(1, Math.ceil(w / side)));
        int rows = (int) Math.min(1 << 15, Math.max(1, Math.ceil(h / side)));
        double cell = Math.max(w / cols, h / rows);
        final double ox = minX;
        final double oy = minY;
        int[] cellOf = new int[n];
        int[] start = new int[cols * rows + 1];
        for (int i = 0; i < n; i++) {
            int cx = Math.min(cols - 1, (int) ((v[2 * i] - ox) / cell));
            int cy = Math.min(rows - 1, (int) ((v[2 * i + 1] - oy) / cell));
            cellOf[i] = cy * cols + cx;
            start[cellOf[i] + 1]++;
        }
        for (int c = 0; c < cols * rows; c++) {
            start[c + 1] += start[c];
        }
        int[] members = new int[n];
        int[] fill = java.util.Arrays.copyOf(start, cols * rows);
        for (int i = 0; i < n; i++) {
            members[fill[cellOf[i]]++] = i;
        }
        int[] out = new int[n * k];
        workers.forChunks(n, 256, (chunk, from, to) -> {
            int[] heapIdx = new int[k];
            float[] heapDist = new float[k];
            for (int i = from; i < to; i++) {
                float xi = v[2 * i];
                float yi = v[2 * i + 1];
                int cx = cellOf[i] % cols;
                int cy = cellOf[i] / cols;
                int size = 0;
                for (int r = 0; ; r++) {
                    boolean any = false;
                    for (int gy = cy - r; gy <= cy + r; gy++) {
                        if (gy < 0 || gy >= rows) {
                            continue;
                        }
                        boolean edgeRow = gy == cy - r || gy == cy + r;
                        for (int gx = cx - r; gx <= cx + r; gx += edgeRow ? 1 : 2 * r) {
                            if (gx >= 0 && gx < cols) {
                                any = true;
                                int c = gy * cols + gx;
                                for (int e = start[c]; e < start[c + 1]; e++) {
                                    int j = members[e];
                                    if (j != i) {
                                        float tx = xi - v[2 * j];
                                        float ty = yi - v[2 * j + 1];
                                        float s = 0;
                                        s += tx * tx;
                                        s += ty * ty;
                                        size = offer(heapIdx, heapDist, size, k, s, j);
                                    }
                                }
                            }
                            if (r == 0) {
                                break;
                            }
                        }
                    }
                    // every unscanned point is at least r cells away in x or y
                    double bound = r * cell;
                    if (size == k && heapDist[0] < bound * bound * (1 - 1e-6)) {
                        break;
                    }
                    if (!any && r > cols + rows) {
                        break;
                    }
                }
                sortHeap(heapIdx, heapDist, k);
                System.arraycopy(heapIdx, 0, out, i * k, k);
            }
        });
        return out;
    }

    /** Adds (d, j) to the bounded max-heap of size &lt;= k ordered by (distance, index); returns the new size. */
    private static int offer(int[] idx, float[] dist, int size, int k, float d, int j) {
        if (size < k) {
            int c = size++;
            while (c > 0) {
                int p = (c - 1) / 2;
                if (!after(d, j, dist[p], idx[p])) {
                    break;
                }
                dist[c] = dist[p];
                idx[c] = idx[p];
                c = p;
            }
            dist[c] = d;
            idx[c] = j;
        } else if (after(dist[0], idx[0], d, j)) {
            siftDown(idx, dist, k, d, j);
        }
        return size;
    }

    private static void siftDown(int[] idx, float[] dist, int size, float d, int j) {
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= size) {
                break;
            }
            int m = l + 1 < size && after(dist[l + 1], idx[l + 1], dist[l], idx[l]) ? l + 1 : l;
            if (!after(dist[m], idx[m], d, j)) {
                break;
            }
            dist[c] = dist[m];
            idx[c] = idx[m];
            c = m;
        }
        dist[c] = d;
        idx[c] = j;
    }

    /** In-place heap sort into ascending order. */
    private static void sortHeap(int[] idx, float[] dist, int k) {
        for (int end = k - 1; end > 0; end--) {
            float topD = dist[0];
            int topI = idx[0];
            float lastD = dist[end];
            int lastI = idx[end];
            dist[end] = topD;
            idx[end] = topI;
            siftDown(idx, dist, end, lastD, lastI);
        }
    }

    private static boolean after(float d1, int i1, float d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    /** All pairs (any dimension): the search of 3-D embeddings, and the reference the grid is tested against. */
    static int[] bruteForce(FloatMatrix low, int k, Workers workers) {
        int n = low.rows();
        int d = low.cols();
        float[] v = low.data();
        int[] out = new int[n * k];
        float[] dist = new float[n * k];
        workers.forChunks(n, 64, (c, start, end) -> {
            float[] row = new float[n];
            for (int i = start; i < end; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int a = 0; a < d; a++) {
                        float t = v[i * d + a] - v[j * d + a];
                        s += t * t;
                    }
                    row[j] = s;
                }
                Neighbours.select(row, 0, n, i, k, out, dist, i * k);
            }
        });
        return out;
    }
}
