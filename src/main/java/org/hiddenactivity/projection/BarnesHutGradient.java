package org.hiddenactivity.projection;

/**
 * The Barnes-Hut t-SNE gradient in 2-D (van der Maaten, JMLR 15, 2014): attraction exact over the sparse P,
 * repulsion and Z estimated on a {@link QuadTree} rebuilt at each call. The repulsion loop runs over points in tree
 * order (neighbouring points walk the same nodes: cache-friendly) in fixed chunks on all workers; each chunk's share
 * of Z is kept apart and summed in chunk order, so the result is the same for any thread count.
 * The KL it returns is the estimate that uses the Barnes-Hut Z.
 */
final class BarnesHutGradient implements Gradient {
    private static final int CHUNK = 128;
    private final Affinities p;
    private final float theta2;
    private final Workers workers;
    private final QuadTree tree;
    private final double[] attr;
    private final double[] rep;
    private final double[] zPerChunk;
    private final double[] klPerChunk;
    private final double totalP;

    BarnesHutGradient(Affinities p, double theta, Workers workers) {
        this.p = p;
        this.theta2 = (float) (theta * theta);
        this.workers = workers;
        int n = p.n();
        tree = new QuadTree(n, workers);
        attr = new double[2 * n];
        rep = new double[2 * n];
        zPerChunk = new double[Workers.chunks(n, CHUNK)];
        klPerChunk = new double[Workers.chunks(n, 256)];
        totalP = Gradient.totalP(p);
    }

    @Override
    public double compute(double[] y, double exaggeration, boolean computeKl, double[] grad) {
        int n = p.n();
        tree.build(y);
        workers.forChunks(n, CHUNK, (c, start, end) -> {
            double[] f = new double[2];
            double z = 0;
            for (int q = start; q < end; q++) {
                z += tree.repulsion(q, theta2, f);
                int i = tree.perm[q];
                rep[2 * i] = f[0];
                rep[2 * i + 1] = f[1];
            }
            zPerChunk[c] = z;
        });
        double z = 0;
        for (double v : zPerChunk) {
            z += v;
        }
        double klPart = Gradient.attractive(p, y, 2, workers, attr, computeKl, klPerChunk);
        for (int e = 0; e < 2 * n; e++) {
            grad[e] = 4 * (exaggeration * attr[e] - rep[e] / z);
        }
        return computeKl ? klPart + totalP * Math.log(z) : Double.NaN;
    }
}
