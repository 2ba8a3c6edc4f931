package org.hiddenactivity.projection;

/**
 * The exact t-SNE gradient and KL divergence for a sparse P: Q normalised over all N(N-1) pairs, repulsion summed
 * over all pairs, O(N^2) per call. The reference the Barnes-Hut approximation is tested against, and what
 * {@link CpuTsne} uses when {@code angle == 0} or the output is not 2-D. Any number of output dimensions (1 to 3).
 * Deterministic for any thread count: rows are split into fixed chunks, reduced in chunk order.
 */
final class ExactGradient implements Gradient {
    private static final int CHUNK = 64;
    private final Affinities p;
    private final int dims;
    private final Workers workers;
    private final double[] attr;
    private final double[] rep;
    private final double[] zPerChunk;
    private final double[] klPerChunk;
    private final double totalP;

    ExactGradient(Affinities p, int dims, Workers workers) {
        this.p = p;
        this.dims = dims;
        this.workers = workers;
        int n = p.n();
        attr = new double[n * dims];
        rep = new double[n * dims];
        zPerChunk = new double[Workers.chunks(n, CHUNK)];
        klPerChunk = new double[Workers.chunks(n, 256)];
        totalP = Gradient.totalP(p);
    }

    @Override
    public double compute(double[] y, double exaggeration, boolean computeKl, double[] grad) {
        int n = p.n();
        workers.forChunks(n, CHUNK, (c, start, end) -> {
            double z = 0;
            double[] f = new double[dims];
            for (int i = start; i < end; i++) {
                java.util.Arrays.fill(f, 0);
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double d2 = 0;
                    for (int a = 0; a < dims; a++) {
                        double t = y[i * dims + a] - y[j * dims + a];
                        d2 += t * t;
                    }
                    double q = 1 / (1 + d2);
                    z += q;
                    double q2 = q * q;
                    for (int a = 0; a < dims; a++) {
                        f[a] += q2 * (y[i * dims + a] - y[j * dims + a]);
                    }
                }
                System.arraycopy(f, 0, rep, i * dims, dims);
            }
            zPerChunk[c] = z;
        });
        double z = 0;
        for (double v : zPerChunk) {
            z += v;
        }
        double klPart = Gradient.attractive(p, y, dims, workers, attr, computeKl, klPerChunk);
        for (int e = 0; e < n * dims; e++) {
            grad[e] = 4 * (exaggeration * attr[e] - rep[e] / z);
        }
        return computeKl ? klPart + totalP * Math.log(z) : Double.NaN;
    }

    /** Exact KL(P || Q) of an embedding (n x dims, row-major). */
    static double klDivergence(Affinities p, double[] y, int dims, Workers workers) {
        return new ExactGradient(p, dims, workers).compute(y, 1, true, new double[y.length]);
    }
}
