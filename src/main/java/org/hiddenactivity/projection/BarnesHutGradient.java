package org.hiddenactivity.projection;

/**
 * The Barnes-Hut t-SNE gradient in 2-D (van der Maaten, JMLR 15, 2014): attraction exact over the sparse P,
 * repulsion and Z estimated on a {@link QuadTree} rebuilt at each call, one traversal per group of nearby points
 * ({@link QuadTree#groupRepulsion}). Groups run in fixed chunks on all workers; each chunk's share of Z is kept apart
 * and summed in chunk order, so the result is the same for any thread count.
 * The KL it returns is the estimate that uses the Barnes-Hut Z.
 */
final class BarnesHutGradient implements Gradient {
    private static final int GROUPS_PER_CHUNK = 1;
    private final Affinities p;
    private final float theta2;
    private final Workers workers;
    private final QuadTree tree;
    private final double[] rep;
    private final Gradient.Scratch2d attraction;
    private double[] zPerChunk = new double[0];
    /** Each worker's interaction list and group buffers, reused across calls. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final double totalP;

    BarnesHutGradient(Affinities p, double theta, Workers workers) {
        this.p = p;
        this.theta2 = (float) (theta * theta);
        this.workers = workers;
        int n = p.n();
        tree = new QuadTree(n, workers);
        rep = new double[2 * n];
        attraction = Gradient.Scratch2d.of(n);
        totalP = Gradient.totalP(p);
    }

    private static final class Scratch {
        final QuadTree.GroupScratch tree = new QuadTree.GroupScratch();
        final double[] forces = new double[2 * QuadTree.GROUP_SIZE];
    }

    @Override
    public double compute(double[] y, double exaggeration, boolean computeKl, double[] grad) {
        tree.build(y);
        int groups = tree.findGroups();
        int chunks = Workers.chunks(groups, GROUPS_PER_CHUNK);
        if (zPerChunk.length < chunks) {
            zPerChunk = new double[chunks];
        }
        java.util.Arrays.fill(zPerChunk, 0);
        workers.forChunks(groups, GROUPS_PER_CHUNK, (c, start, end) -> {
            Scratch s = scratch.get();
            double[] f = s.forces;
            double z = 0;
            for (int g = start; g < end; g++) {
                z += tree.groupRepulsion(g, theta2, s.tree, f);
                int first = tree.groupStart(g);
                int size = tree.groupEnd(g) - first;
                for (int k = 0; k < size; k++) {
                    int i = tree.perm[first + k];
                    rep[2 * i] = f[2 * k];
                    rep[2 * i + 1] = f[2 * k + 1];
                }
            }
            zPerChunk[c] = z;
        });
        double z = 0;
        for (double v : zPerChunk) {
            z += v;
        }
        return Gradient.withAttraction2d(p, y, exaggeration, computeKl, rep, z, totalP, attraction, workers,
                grad);
    }
}
