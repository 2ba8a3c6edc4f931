package org.hiddenactivity.projection;

/**
 * The t-SNE objective for one snapshot: gradient of KL(P || Q) with respect to the embedding, and the KL itself
 * when asked. The optimiser does not care whether Q's normalisation and repulsion are exact or Barnes-Hut.
 * <p>
 * With q_ij = (1 + ||y_i - y_j||^2)^-1 and Z = sum_(k != l) q_kl, the gradient is
 * dC/dy_i = 4 (exaggeration * sum_j p_ij q_ij (y_i - y_j) - sum_j q_ij^2 (y_i - y_j) / Z).
 */
interface Gradient {
    /**
     * Writes the gradient into {@code grad} (same layout as {@code y}: n x dims, row-major).
     *
     * @param y            current coordinates, n x dims row-major
     * @param exaggeration factor on P (early exaggeration; 1 afterwards)
     * @param computeKl    whether to return KL(P || Q) (of the un-exaggerated P)
     * @return the KL divergence (exact or estimated, per implementation) or NaN when not asked
     */
    double compute(double[] y, double exaggeration, boolean computeKl, double[] grad);

    /** Attractive part: writes sum_j p_ij q_ij (y_i - y_j) into attr; returns sum p_ij log(p_ij / q_ij) if asked. */
    static double attractive(Affinities p, double[] y, int dims, Workers workers, double[] attr, boolean withKl,
                             double[] klPerChunk) {
        int n = p.n();
        int[] rowStart = p.rowStart();
        int[] col = p.col();
        float[] val = p.val();
        int chunk = 256;
        workers.forChunks(n, chunk, (c, start, end) -> {
            double kl = 0;
            for (int i = start; i < end; i++) {
                double f0 = 0;
                double f1 = 0;
                double f2 = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    int j = col[e];
                    double d2 = 0;
                    double t0 = y[i * dims] - y[j * dims];
                    d2 += t0 * t0;
                    double t1 = 0;
                    double t2 = 0;
                    if (dims > 1) {
                        t1 = y[i * dims + 1] - y[j * dims + 1];
                        d2 += t1 * t1;
                    }
                    if (dims > 2) {
                        t2 = y[i * dims + 2] - y[j * dims + 2];
                        d2 += t2 * t2;
                    }
                    double q = 1 / (1 + d2);
                    double pq = val[e] * q;
                    f0 += pq * t0;
                    f1 += pq * t1;
                    f2 += pq * t2;
                    if (withKl && val[e] > 0) {
                        // log(p / q_unnormalised); the log Z term is added by the caller; p = 0 adds 0 (not 0 log 0 = NaN)
                        kl += val[e] * Math.log(val[e] / q);
                    }
                }
                attr[i * dims] = f0;
                if (dims > 1) {
                    attr[i * dims + 1] = f1;
                }
                if (dims > 2) {
                    attr[i * dims + 2] = f2;
                }
            }
            if (withKl) {
                klPerChunk[c] = kl;
            }
        });
        double kl = 0;
        if (withKl) {
            for (int c = 0; c < Workers.chunks(n, chunk); c++) {
                kl += klPerChunk[c];
            }
        }
        return kl;
    }

    /**
     * The attractive part in 2-D without the KL, in float: writes sum_j p_ij q_ij (y_i - y_j) into attr. Float halves
     * the memory read per edge and its division is cheaper (faster in benchmarks/README.md's kernel measurements); the sum of a
     * row's ~3 x perplexity terms stays within float rounding of the double path, and every row is summed in one
     * fixed order, so the result does not depend on the thread count. {@code xs}, {@code ys}: scratch of n floats.
     */
    static void attractive2d(Affinities p, double[] y, float[] xs, float[] ys, Workers workers, double[] attr) {
        int n = p.n();
        int[] rowStart = p.rowStart();
        int[] col = p.col();
        float[] val = p.val();
        for (int i = 0; i < n; i++) {
            xs[i] = (float) y[2 * i];
            ys[i] = (float) y[2 * i + 1];
        }
        workers.forChunks(n, 64, (c, start, end) -> {
            for (int i = start; i < end; i++) {
                float xi = xs[i];
                float yi = ys[i];
                float f0 = 0f;
                float f1 = 0f;
                for (int e = rowStart[i], last = rowStart[i + 1]; e < last; e++) {
                    int j = col[e];
                    float dx = xi - xs[j];
                    float dy = yi - ys[j];
                    float pq = val[e] / (1f + dx * dx + dy * dy);
                    f0 += pq * dx;
                    f1 += pq * dy;
                }
                attr[2 * i] = f0;
                attr[2 * i + 1] = f1;
            }
        });
    }

    /** Buffers of {@link #withAttraction2d}: xs, ys of n floats, attr of 2n, one KL slot per 256-row chunk. */
    record Scratch2d(float[] xs, float[] ys, double[] attr, double[] klPerChunk) {
        /** Buffers for n points. */
        static Scratch2d of(int n) {
            return new Scratch2d(new float[n], new float[n], new double[2 * n], new double[Workers.chunks(n, 256)]);
        }
    }

    /**
     * The whole 2-D gradient from a repulsion already computed (rep = sum_j q_ij^2 (y_i - y_j), z = Z): the attraction
     * in float ({@link #attractive2d}), or in double with the KL when asked, then
     * grad = 4 (exaggeration attr - rep / Z). Returns the KL (its Z part from z) or NaN.
     */
    static double withAttraction2d(Affinities p, double[] y, double exaggeration, boolean computeKl, double[] rep,
                                   double z, double totalP, Scratch2d s, Workers workers, double[] grad) {
        double klPart = Double.NaN;
        if (computeKl) {
            klPart = attractive(p, y, 2, workers, s.attr(), true, s.klPerChunk());
        } else {
            attractive2d(p, y, s.xs(), s.ys(), workers, s.attr());
        }
        double[] attr = s.attr();
        for (int e = 0; e < grad.length; e++) {
            grad[e] = 4 * (exaggeration * attr[e] - rep[e] / z);
        }
        return computeKl ? klPart + totalP * Math.log(z) : Double.NaN;
    }

    /** Sum of the stored p_ij (1 up to rounding); KL = sum p log(p / q_unnorm) + (sum p) log Z. */
    static double totalP(Affinities p) {
        double s = 0;
        for (float v : p.val()) {
            s += v;
        }
        return s;
    }
}
