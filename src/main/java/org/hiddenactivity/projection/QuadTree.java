package org.hiddenactivity.projection;

/**
 * A 2-D Barnes-Hut quadtree stored as flat arrays (no object per node), rebuilt at every iteration.
 * <p>
 * Nodes are stored in depth-first preorder: a node's first child is the next node, and {@code skip} points past its
 * subtree, so a traversal is a forward scan with jumps (no stack, cache-friendly); a node is a leaf exactly when
 * skip = id + 1. Each node covers a square cell and the contiguous range [start, end) of the points sorted in tree
 * order. A node stops splitting when it holds at most {@link #LEAF_SIZE} points, at depth {@link #MAX_DEPTH}, or when
 * its cell is too small to split in float precision (so duplicate points end in one leaf instead of recursing
 * forever).
 * <p>
 * The repulsion on point i: a cell of side w whose centre of mass lies at distance d from y_i counts as one mass when
 * it does not contain i and w / d &lt; theta (the criterion of van der Maaten 2014 and scikit-learn); leaves are
 * summed point by point, i itself skipped.
 */
final class QuadTree {
    static final int LEAF_SIZE = 8;
    static final int MAX_DEPTH = 48;

    private final int n;
    /** perm[p] = index of the point at tree position p. */
    final int[] perm;
    /** Coordinates in tree order. */
    final float[] px;
    final float[] py;
    /** Per node (4 floats): centre-of-mass x, y, squared cell side, point count. */
    private float[] node;
    /** Per node (4 ints): start, end, skip, unused (keeps 16-byte records). */
    private int[] link;
    private int nodes;
    private final int[] quadrant;
    private final int[] scratch;

    QuadTree(int n) {
        this.n = n;
        perm = new int[n];
        px = new float[n];
        py = new float[n];
        quadrant = new int[n];
        scratch = new int[n];
        int cap = Math.max(16, 2 * n);
        node = new float[4 * cap];
        link = new int[4 * cap];
    }

    /** Rebuilds the tree over y (n x 2, row-major). */
    void build(double[] y) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            perm[i] = i;
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double half = Math.max(maxX - minX, maxY - minY) / 2;
        half = half * (1 + 1e-5) + 1e-12;
        nodes = 0;
        split(y, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
        for (int p = 0; p < n; p++) {
            int i = perm[p];
            px[p] = (float) y[2 * i];
            py[p] = (float) y[2 * i + 1];
        }
    }

    private void split(double[] y, int start, int end, double cx, double cy, double half, int depth) {
        int id = nodes++;
        ensureCapacity(nodes);
        double sx = 0;
        double sy = 0;
        for (int p = start; p < end; p++) {
            int i = perm[p];
            sx += y[2 * i];
            sy += y[2 * i + 1];
        }
        int count = end - start;
        node[4 * id] = (float) (sx / count);
        node[4 * id + 1] = (float) (sy / count);
        node[4 * id + 2] = (float) (4 * half * half);
        node[4 * id + 3] = count;
        link[4 * id] = start;
        link[4 * id + 1] = end;
        // a cell whose quarter no longer differs from its centre in float cannot separate points any further
        boolean tooSmall = (float) (cx + half / 2) == (float) cx || (float) (cy + half / 2) == (float) cy;
        if (count > LEAF_SIZE && depth < MAX_DEPTH && !tooSmall) {
            // counting sort of the range into quadrants 0..3 (bit 0: right half, bit 1: top half)
            int c0 = 0;
            int c1 = 0;
            int c2 = 0;
            for (int p = start; p < end; p++) {
                int i = perm[p];
                int q = (y[2 * i] >= cx ? 1 : 0) | (y[2 * i + 1] >= cy ? 2 : 0);
                quadrant[p] = q;
                if (q == 0) {
                    c0++;
                } else if (q == 1) {
                    c1++;
                } else if (q == 2) {
                    c2++;
                }
            }
            int[] fill = {start, start + c0, start + c0 + c1, start + c0 + c1 + c2};
            int[] bound = {fill[0], fill[1], fill[2], fill[3], end};
            for (int p = start; p < end; p++) {
                scratch[fill[quadrant[p]]++] = perm[p];
            }
            System.arraycopy(scratch, start, perm, start, count);
            double h = half / 2;
            for (int q = 0; q < 4; q++) {
                if (bound[q + 1] > bound[q]) {
                    split(y, bound[q], bound[q + 1], cx + ((q & 1) != 0 ? h : -h), cy + ((q & 2) != 0 ? h : -h), h,
                            depth + 1);
                }
            }
        }
        link[4 * id + 2] = nodes;
    }

    private void ensureCapacity(int needed) {
        if (needed * 4 > link.length) {
            int cap = Math.max(needed, link.length / 2);
            node = java.util.Arrays.copyOf(node, 4 * cap);
            link = java.util.Arrays.copyOf(link, 4 * cap);
        }
    }

    /**
     * Repulsion on the point at tree position p: writes sum_j q_ij^2 (y_i - y_j) into out[0..1] and returns
     * sum_j q_ij (its share of Z), both Barnes-Hut estimates with opening angle sqrt(theta2).
     */
    double repulsion(int p, float theta2, double[] out) {
        final float[] node = this.node;
        final int[] link = this.link;
        final float[] px = this.px;
        final float[] py = this.py;
        final int count = nodes;
        float xi = px[p];
        float yi = py[p];
        float z = 0;
        float fx = 0;
        float fy = 0;
        int id = 0;
        while (id < count) {
            int b = 4 * id;
            int start = link[b];
            int end = link[b + 1];
            int skip = link[b + 2];
            float dx = xi - node[b];
            float dy = yi - node[b + 1];
            float d2 = dx * dx + dy * dy;
            if ((p < start || p >= end) && node[b + 2] < theta2 * d2) {
                float q = 1f / (1f + d2);
                float mq = node[b + 3] * q;
                z += mq;
                float mq2 = mq * q;
                fx += mq2 * dx;
                fy += mq2 * dy;
                id = skip;
            } else if (skip == id + 1) {
                for (int j = start; j < end; j++) {
                    float ex = xi - px[j];
                    float ey = yi - py[j];
                    float q = j == p ? 0f : 1f / (1f + ex * ex + ey * ey);
                    z += q;
                    float q2 = q * q;
                    fx += q2 * ex;
                    fy += q2 * ey;
                }
                id = skip;
            } else {
                id++;
            }
        }
        out[0] = fx;
        out[1] = fy;
        return z;
    }
}
