package org.hiddenactivity.projection;

/**
 * A 2-D Barnes-Hut quadtree stored as flat arrays (no object per node), rebuilt at every iteration.
 * <p>
 * Each node covers a square cell and a contiguous range [start, end) of the points sorted in tree order; its
 * non-empty children are stored next to each other. A node stops splitting when it holds at most {@link #LEAF_SIZE}
 * points, at depth {@link #MAX_DEPTH}, or when its cell is too small to split in float precision (so duplicate points
 * end in one leaf instead of recursing forever). The repulsion of point i is summed over the tree: a cell of side w
 * whose centre of mass is at distance d from y_i is used as one mass when it does not contain i and
 * w / d &lt; theta (the criterion of van der Maaten 2014 and scikit-learn); leaves are summed point by point, i
 * itself skipped.
 */
final class QuadTree {
    static final int LEAF_SIZE = 4;
    static final int MAX_DEPTH = 48;

    private final int n;
    /** perm[p] = index of the point at tree position p; pos is its inverse. */
    final int[] perm;
    final int[] pos;
    /** Coordinates in tree order. */
    final float[] px;
    final float[] py;
    /** Per node: centre-of-mass x, y, squared cell side, point count. */
    private float[] node;
    /** Per node: first child, number of children (0 for a leaf), start, end. */
    private int[] link;
    private int nodes;
    private final int[] scratch;

    QuadTree(int n) {
        this.n = n;
        perm = new int[n];
        pos = new int[n];
        px = new float[n];
        py = new float[n];
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
        nodes = 1;
        split(y, 0, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
        for (int p = 0; p < n; p++) {
            int i = perm[p];
            pos[i] = p;
            px[p] = (float) y[2 * i];
            py[p] = (float) y[2 * i + 1];
        }
    }

    private void split(double[] y, int id, int start, int end, double cx, double cy, double half, int depth) {
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
        link[4 * id + 2] = start;
        link[4 * id + 3] = end;
        // a cell whose quarter no longer differs from its centre in float cannot separate points any further
        boolean tooSmall = (float) (cx + half / 2) == (float) cx || (float) (cy + half / 2) == (float) cy;
        if (count <= LEAF_SIZE || depth >= MAX_DEPTH || tooSmall) {
            link[4 * id] = -1;
            link[4 * id + 1] = 0;
            return;
        }
        // counting sort of the range into quadrants 0..3 (bit 0: right, bit 1: top)
        int[] qc = new int[4];
        for (int p = start; p < end; p++) {
            int i = perm[p];
            int q = (y[2 * i] >= cx ? 1 : 0) | (y[2 * i + 1] >= cy ? 2 : 0);
            scratch[p] = q;
            qc[q]++;
        }
        int[] at = new int[5];
        at[0] = start;
        for (int q = 0; q < 4; q++) {
            at[q + 1] = at[q] + qc[q];
        }
        int[] fill = {at[0], at[1], at[2], at[3]};
        int[] tmp = new int[count];
        for (int p = start; p < end; p++) {
            tmp[fill[scratch[p]]++ - start] = perm[p];
        }
        System.arraycopy(tmp, 0, perm, start, count);
        int children = 0;
        for (int q = 0; q < 4; q++) {
            if (qc[q] > 0) {
                children++;
            }
        }
        int first = nodes;
        ensureCapacity(nodes + children);
        nodes += children;
        link[4 * id] = first;
        link[4 * id + 1] = children;
        int c = first;
        double h = half / 2;
        for (int q = 0; q < 4; q++) {
            if (qc[q] > 0) {
                split(y, c++, at[q], at[q + 1], cx + ((q & 1) != 0 ? h : -h), cy + ((q & 2) != 0 ? h : -h), h, depth + 1);
            }
        }
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
     * sum_j q_ij (its share of Z), both Barnes-Hut estimates with opening angle theta.
     */
    double repulsion(int p, double theta2, int[] stack, double[] out) {
        final float[] node = this.node;
        final int[] link = this.link;
        final float[] px = this.px;
        final float[] py = this.py;
        float xi = px[p];
        float yi = py[p];
        double z = 0;
        double fx = 0;
        double fy = 0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int id = stack[--top];
            int b = 4 * id;
            int start = link[b + 2];
            int end = link[b + 3];
            boolean contains = p >= start && p < end;
            float dx = xi - node[b];
            float dy = yi - node[b + 1];
            float d2 = dx * dx + dy * dy;
            if (!contains && node[b + 2] < theta2 * d2) {
                float q = 1f / (1f + d2);
                float m = node[b + 3];
                z += m * q;
                float mq2 = m * q * q;
                fx += mq2 * dx;
                fy += mq2 * dy;
            } else if (link[b + 1] == 0) {
                for (int j = start; j < end; j++) {
                    if (j == p) {
                        continue;
                    }
                    float ex = xi - px[j];
                    float ey = yi - py[j];
                    float q = 1f / (1f + ex * ex + ey * ey);
                    z += q;
                    float q2 = q * q;
                    fx += q2 * ex;
                    fy += q2 * ey;
                }
            } else {
                int first = link[b];
                for (int c = first + link[b + 1] - 1; c >= first; c--) {
                    stack[top++] = c;
                }
            }
        }
        out[0] = fx;
        out[1] = fy;
        return z;
    }

    /** Stack size sufficient for {@link #repulsion}: at most 3 siblings pending per level plus one. */
    static int stackSize() {
        return 4 * (MAX_DEPTH + 2);
    }
}
