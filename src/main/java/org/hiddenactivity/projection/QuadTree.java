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
 * The repulsion on point i ({@link #repulsion}, the reference): a cell of side w whose centre of mass lies at
 * distance d from y_i counts as one mass when it does not contain i and w / d &lt; theta (the criterion of van der
 * Maaten 2014 and scikit-learn); leaves are summed point by point, i itself skipped. What the gradient uses is
 * {@link #groupRepulsion}: one traversal per group of up to {@link #GROUP_SIZE} points, with d measured to the
 * group's bounding box.
 */
final class QuadTree {
    static final int LEAF_SIZE = 8;
    static final int MAX_DEPTH = 48;
    /** Most points in a group that shares one traversal ({@link #groupRepulsion}); measured best of 16, 32, 64. */
    static final int GROUP_SIZE = 64;

    private final int n;
    /** perm[p] = index of the point at tree position p. */
    final int[] perm;
    /** Coordinates in tree order. */
    final float[] px;
    final float[] py;
    /** Per node (4 floats): centre-of-mass x, y, squared cell side, point count. */
    private float[] node;
    /** Per node (4 ints): start, end, skip, and 0 (while building in parallel: a placeholder's task, negative). */
    private int[] link;
    private int nodes;
    private int[] groupNode = new int[16];
    private final int[] quadrant;
    private final int[] scratch;
    /** Coordinates in tree order as the split moves them (x, y interleaved), and the counting sort's scratch. */
    private final double[] ordered;
    private final double[] orderedScratch;
    private boolean built;
    private final Workers workers;
    /** Subtrees from this depth on are built as independent tasks (16 of them) when n >= PARALLEL_MIN_POINTS. */
    static final int PARALLEL_DEPTH = 2;
    /** Below this size the sequential build was the faster one on 2 threads (benchmarks/README.md, kernels). */
    static final int PARALLEL_MIN_POINTS = 5_000;

    QuadTree(int n) {
        this(n, null);
    }

    /** With {@code workers}, large trees build their subtrees below depth {@link #PARALLEL_DEPTH} in parallel. */
    QuadTree(int n, Workers workers) {
        this.n = n;
        this.workers = workers;
        perm = new int[n];
        px = new float[n];
        py = new float[n];
        quadrant = new int[n];
        scratch = new int[n];
        ordered = new double[2 * n];
        orderedScratch = new double[2 * n];
        int cap = Math.max(16, 2 * n);
        node = new float[4 * cap];
        link = new int[4 * cap];
    }

    /**
     * Rebuilds the tree over y (n x 2, row-major). The points start in the previous build's tree order and their
     * coordinates move with them through the counting sorts: between two iterations the order barely changes, so
     * every pass reads and writes memory nearly in sequence (the first build starts from index order).
     */
    void build(double[] y) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        if (!built) {
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            built = true;
        }
        for (int p = 0; p < n; p++) {
            int i = perm[p];
            double a = y[2 * i];
            double b = y[2 * i + 1];
            ordered[2 * p] = a;
            ordered[2 * p + 1] = b;
            minX = Math.min(minX, a);
            maxX = Math.max(maxX, a);
            minY = Math.min(minY, b);
            maxY = Math.max(maxY, b);
        }
        y = ordered;
        double half = Math.max(maxX - minX, maxY - minY) / 2;
        half = half * (1 + 1e-5) + 1e-12;
        nodes = 0;
        if (workers != null && workers.threads() > 1 && n >= PARALLEL_MIN_POINTS) {
            buildInParallel(y, (minX + maxX) / 2, (minY + maxY) / 2, half);
        } else {
            split(y, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
        }
        for (int p = 0; p < n; p++) {
            px[p] = (float) ordered[2 * p];
            py[p] = (float) ordered[2 * p + 1];
        }
    }

    /** Node records being written: the tree's own arrays, or a task's until they are copied in. */
    private static final class Store {
        float[] node;
        int[] link;
        int count;

        Store(int capacity) {
            node = new float[4 * capacity];
            link = new int[4 * capacity];
        }

        void ensure(int needed) {
            if (needed * 4 > link.length) {
                int cap = Math.max(needed, link.length / 2);
                node = java.util.Arrays.copyOf(node, 4 * cap);
                link = java.util.Arrays.copyOf(link, 4 * cap);
            }
        }
    }

    private void split(double[] y, int start, int end, double cx, double cy, double half, int depth) {
        Store store = new Store(0);
        store.node = node;
        store.link = link;
        store.count = nodes;
        split(store, y, start, end, cx, cy, half, depth, Integer.MAX_VALUE, null);
        node = store.node;
        link = store.link;
        nodes = store.count;
    }

    /** A cell at {@code stopDepth} left for a task: its range and square. */
    private record Pending(int start, int end, double cx, double cy, double half, int depth) {}

    /**
     * Writes the subtree of the cell into {@code store} in preorder ({@code y}: the coordinates in tree order). A cell that would split at {@code stopDepth} is
     * written as a placeholder record (count -1 - index into {@code pending}) instead of being split.
     */
    private void split(Store store, double[] y, int start, int end, double cx, double cy, double half, int depth,
                       int stopDepth, java.util.List<Pending> pending) {
        int id = store.count++;
        store.ensure(store.count);
        float[] node = store.node;
        int[] link = store.link;
        int count = end - start;
        link[4 * id] = start;
        link[4 * id + 1] = end;
        // a cell whose quarter no longer differs from its centre in float cannot separate points any further
        boolean tooSmall = (float) (cx + half / 2) == (float) cx || (float) (cy + half / 2) == (float) cy;
        boolean splits = count > LEAF_SIZE && depth < MAX_DEPTH && !tooSmall;
        if (splits && depth == stopDepth) {
            link[4 * id + 3] = -1 - pending.size();
            pending.add(new Pending(start, end, cx, cy, half, depth));
            link[4 * id + 2] = store.count;
            return;
        }
        double sx = 0;
        double sy = 0;
        for (int p = start; p < end; p++) {
            sx += y[2 * p];
            sy += y[2 * p + 1];
        }
        node[4 * id] = (float) (sx / count);
        node[4 * id + 1] = (float) (sy / count);
        node[4 * id + 2] = (float) (4 * half * half);
        node[4 * id + 3] = count;
        link[4 * id + 3] = 0;
        if (splits) {
            // counting sort of the range into quadrants 0..3 (bit 0: right half, bit 1: top half)
            int c0 = 0;
            int c1 = 0;
            int c2 = 0;
            for (int p = start; p < end; p++) {
                int q = (y[2 * p] >= cx ? 1 : 0) | (y[2 * p + 1] >= cy ? 2 : 0);
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
                int to = fill[quadrant[p]]++;
                scratch[to] = perm[p];
                orderedScratch[2 * to] = y[2 * p];
                orderedScratch[2 * to + 1] = y[2 * p + 1];
            }
            System.arraycopy(scratch, start, perm, start, count);
            System.arraycopy(orderedScratch, 2 * start, y, 2 * start, 2 * count);
            double h = half / 2;
            for (int q = 0; q < 4; q++) {
                if (bound[q + 1] > bound[q]) {
                    split(store, y, bound[q], bound[q + 1], cx + ((q & 1) != 0 ? h : -h),
                            cy + ((q & 2) != 0 ? h : -h), h, depth + 1, stopDepth, pending);
                }
            }
        }
        store.link[4 * id + 2] = store.count;
    }

    /**
     * The same tree as the sequential build, node for node: the top levels sequentially with the cells at
     * {@link #PARALLEL_DEPTH} left pending, those subtrees as parallel tasks (disjoint point ranges, own node
     * stores), then everything copied into preorder with the skip links shifted.
     */
    private void buildInParallel(double[] y, double cx, double cy, double half) {
        java.util.List<Pending> pending = new java.util.ArrayList<>();
        Store top = new Store(64);
        split(top, y, 0, n, cx, cy, half, 0, PARALLEL_DEPTH, pending);
        Store[] parts = new Store[pending.size()];
        workers.forChunks(pending.size(), 1, (task, from, to) -> {
            Pending c = pending.get(task);
            Store s = new Store(Math.max(16, 2 * (c.end() - c.start()) / LEAF_SIZE));
            split(s, y, c.start(), c.end(), c.cx(), c.cy(), c.half(), c.depth(), Integer.MAX_VALUE, null);
            parts[task] = s;
        });
        int total = top.count - pending.size();
        for (Store s : parts) {
            total += s.count;
        }
        ensureCapacity(total);
        int[] newId = new int[top.count + 1];
        int out = 0;
        for (int t = 0; t < top.count; t++) {
            newId[t] = out;
            int placeholder = top.link[4 * t + 3];
            if (placeholder < 0) {
                Store s = parts[-1 - placeholder];
                System.arraycopy(s.node, 0, node, 4 * out, 4 * s.count);
                System.arraycopy(s.link, 0, link, 4 * out, 4 * s.count);
                for (int e = 0; e < s.count; e++) {
                    link[4 * (out + e) + 2] += out;
                }
                out += s.count;
            } else {
                System.arraycopy(top.node, 4 * t, node, 4 * out, 4);
                System.arraycopy(top.link, 4 * t, link, 4 * out, 4);
                out++;
            }
        }
        newId[top.count] = out;
        // skip links of the top nodes: the new id of the top record they pointed at (all ids after a subtree)
        for (int t = 0; t < top.count; t++) {
            if (top.link[4 * t + 3] >= 0) {
                link[4 * newId[t] + 2] = newId[top.link[4 * t + 2]];
            }
        }
        nodes = out;
    }

    private void ensureCapacity(int needed) {
        if (needed * 4 > link.length) {
            int cap = Math.max(needed, link.length / 2);
            node = java.util.Arrays.copyOf(node, 4 * cap);
            link = java.util.Arrays.copyOf(link, 4 * cap);
        }
    }

    /**
     * The groups of the current tree, for {@link #groupRepulsion}: the largest nodes holding at most
     * {@link #GROUP_SIZE} points, in preorder, so their point ranges tile [0, n). Returns the number of groups; the
     * node ids are in {@code groupNode}, which grows as needed.
     */
    int findGroups() {
        int count = 0;
        int id = 0;
        while (id < nodes) {
            int b = 4 * id;
            if (link[b + 1] - link[b] <= GROUP_SIZE) {
                if (count == groupNode.length) {
                    groupNode = java.util.Arrays.copyOf(groupNode, Math.max(16, 2 * count));
                }
                groupNode[count++] = id;
                id = link[b + 2];
            } else {
                id++;
            }
        }
        return count;
    }

    /** First tree position of group g. */
    int groupStart(int g) {
        return link[4 * groupNode[g]];
    }

    /** One past the last tree position of group g. */
    int groupEnd(int g) {
        return link[4 * groupNode[g] + 1];
    }

    /** Per-thread buffers of {@link #groupRepulsion}: the interaction list and the group's own points. */
    static final class GroupScratch {
        float[] lx = new float[1024];
        float[] ly = new float[1024];
        float[] lm = new float[1024];
        final float[] gx = new float[GROUP_SIZE];
        final float[] gy = new float[GROUP_SIZE];
        final float[] z = new float[GROUP_SIZE];
        final float[] fx = new float[GROUP_SIZE];
        final float[] fy = new float[GROUP_SIZE];

        void ensure(int needed) {
            if (needed > lx.length) {
                int cap = Math.max(needed, 2 * lx.length);
                lx = java.util.Arrays.copyOf(lx, cap);
                ly = java.util.Arrays.copyOf(ly, cap);
                lm = java.util.Arrays.copyOf(lm, cap);
            }
        }
    }

    /**
     * Repulsion on every point of group {@code g} (see {@link #findGroups}): writes sum_j q_ij^2 (y_i - y_j) of the
     * point at tree position p into out[2 (p - start)], out[2 (p - start) + 1] for the group's range [start, end) and
     * returns the group's share of Z. One traversal serves the whole group (Barnes 1990): a cell counts as one mass
     * when w / d &lt; theta with d the distance from its centre of mass to the group's bounding box, which is never
     * more than the distance to any point of the group, so every cell accepted here is also accepted by the
     * per-point criterion of {@link #repulsion}: the estimate is at least as accurate. Cells and single points go
     * into one list that the group's points then sweep in a loop the JIT vectorises across the points; pairs inside
     * the group are summed directly, each point skipping itself (no self term to subtract, so a tiny Z stays exact).
     */
    double groupRepulsion(int g, float theta2, GroupScratch s, double[] out) {
        final float[] node = this.node;
        final int[] link = this.link;
        int self = groupNode[g];
        int gs = link[4 * self];
        int ge = link[4 * self + 1];
        int size = ge - gs;
        float minX = Float.POSITIVE_INFINITY;
        float maxX = Float.NEGATIVE_INFINITY;
        float minY = Float.POSITIVE_INFINITY;
        float maxY = Float.NEGATIVE_INFINITY;
        for (int p = gs; p < ge; p++) {
            minX = Math.min(minX, px[p]);
            maxX = Math.max(maxX, px[p]);
            minY = Math.min(minY, py[p]);
            maxY = Math.max(maxY, py[p]);
        }
        int len = 0;
        int id = 0;
        while (id < nodes) {
            int b = 4 * id;
            int start = link[b];
            int end = link[b + 1];
            int skip = link[b + 2];
            if (start <= gs && ge <= end) {
                if (id == self) {
                    // the group's own points meet each other in sweep(), without themselves
                    id = skip;
                } else {
                    id++;
                }
                continue;
            }
            float cx = node[b];
            float cy = node[b + 1];
            float dx = Math.max(0f, Math.max(minX - cx, cx - maxX));
            float dy = Math.max(0f, Math.max(minY - cy, cy - maxY));
            if (node[b + 2] < theta2 * (dx * dx + dy * dy)) {
                s.ensure(len + 1);
                s.lx[len] = cx;
                s.ly[len] = cy;
                s.lm[len] = node[b + 3];
                len++;
                id = skip;
            } else if (skip == id + 1) {
                s.ensure(len + end - start);
                for (int p = start; p < end; p++, len++) {
                    s.lx[len] = px[p];
                    s.ly[len] = py[p];
                    s.lm[len] = 1f;
                }
                id = skip;
            } else {
                id++;
            }
        }
        sweep(s, gs, size, len);
        double z = 0;
        for (int k = 0; k < size; k++) {
            out[2 * k] = s.fx[k];
            out[2 * k + 1] = s.fy[k];
            z += s.z[k];
        }
        return z;
    }

    /** The group's points against the list: element-wise over the points, so the JIT can use vector registers. */
    private void sweep(GroupScratch s, int gs, int size, int len) {
        final float[] gx = s.gx;
        final float[] gy = s.gy;
        final float[] z = s.z;
        final float[] fx = s.fx;
        final float[] fy = s.fy;
        for (int k = 0; k < size; k++) {
            gx[k] = px[gs + k];
            gy[k] = py[gs + k];
        }
        // pairs inside the group, each point skipping itself (a duplicate point at distance 0 still counts): point b
        // against the points before it and after it, two loops the JIT vectorises like the one below
        for (int k = 0; k < size; k++) {
            z[k] = 0f;
            fx[k] = 0f;
            fy[k] = 0f;
        }
        for (int b = 0; b < size; b++) {
            accumulate(gx, gy, z, fx, fy, 0, b, gx[b], gy[b], 1f);
            accumulate(gx, gy, z, fx, fy, b + 1, size, gx[b], gy[b], 1f);
        }
        final float[] lx = s.lx;
        final float[] ly = s.ly;
        final float[] lm = s.lm;
        for (int l = 0; l < len; l++) {
            accumulate(gx, gy, z, fx, fy, 0, size, lx[l], ly[l], lm[l]);
        }
    }

    /**
     * Mass m at (cx, cy) acting on the group's points from..to-1: z += m q, f += m q^2 (y - c). Element-wise over the
     * points, so the JIT vectorises it once inlined.
     */
    private static void accumulate(float[] gx, float[] gy, float[] z, float[] fx, float[] fy, int from, int to,
                                   float cx, float cy, float m) {
        for (int k = from; k < to; k++) {
            float dx = gx[k] - cx;
            float dy = gy[k] - cy;
            float q = 1f / (1f + dx * dx + dy * dy);
            float mq = m * q;
            z[k] += mq;
            float w = mq * q;
            fx[k] += w * dx;
            fy[k] += w * dy;
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
