package org.hiddenactivity.projection;

/**
 * The sparse, symmetric input similarities P of t-SNE (van der Maaten 2014, section 4.1) in CSR form.
 * <p>
 * For each point i, a Gaussian over its k nearest neighbours, p_(j|i) proportional to exp(-beta_i d_ij^2), with beta_i
 * found by binary search so that the entropy of p_(.|i) equals log(perplexity): the search of scikit-learn's
 * {@code _binary_search_perplexity} (beta starts at 1, doubles or halves until bracketed, then bisects; tolerance
 * 1e-5 in nats, at most 100 steps). Distances are shifted by the row's smallest one before exponentiating, which
 * leaves p_(.|i) unchanged but keeps exp from underflowing on far-away rows and makes zero distances (duplicates)
 * harmless. Then P = (P_cond + P_cond^T) / (2N): symmetric, summing to 1.
 *
 * @param n        number of points
 * @param rowStart CSR row pointers, length n + 1
 * @param col      column of each stored entry; within a row, ascending
 * @param val      p_ij of each stored entry (p_ij = p_ji, all > 0, total 1)
 */
record Affinities(int n, int[] rowStart, int[] col, float[] val) {
    private static final double ENTROPY_TOLERANCE = 1e-5;
    private static final int MAX_STEPS = 100;
    /** Rows per task of the parallel merge in {@link #symmetrise}. */
    private static final int SYMMETRISE_CHUNK = 1024;

    /** Number of stored entries. */
    int nnz() {
        return rowStart[n];
    }

    /** P from exact neighbours and the target perplexity; rows in parallel on {@code workers}. */
    static Affinities of(Neighbours nb, double perplexity, Workers workers) {
        int n = nb.n();
        int k = nb.k();
        float[] conditional = new float[n * k];
        workers.forChunks(n, 64, (chunk, start, end) -> {
            double[] row = new double[k];
            for (int i = start; i < end; i++) {
                conditionalRow(nb.sqDistances(), i * k, k, perplexity, row);
                for (int e = 0; e < k; e++) {
                    conditional[i * k + e] = (float) row[e];
                }
            }
        });
        return symmetrise(n, k, nb.index(), conditional, workers);
    }

    /**
     * p_(.|i) over one row of k squared distances at {@code off}, written to {@code out}; sums to 1.
     * Returns the beta found (1 / (2 sigma^2)).
     */
    static double conditionalRow(float[] sqDist, int off, int k, double perplexity, double[] out) {
        double shift = Double.POSITIVE_INFINITY;
        for (int e = 0; e < k; e++) {
            shift = Math.min(shift, sqDist[off + e]);
        }
        double desired = Math.log(perplexity);
        double beta = 1;
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        for (int step = 0; step < MAX_STEPS; step++) {
            double sum = 0;
            double weighted = 0;
            for (int e = 0; e < k; e++) {
                double d = sqDist[off + e] - shift;
                double p = Math.exp(-d * beta);
                out[e] = p;
                sum += p;
                weighted += d * p;
            }
            // sum >= 1 because the nearest neighbour has d = 0 after the shift
            double entropy = Math.log(sum) + beta * weighted / sum;
            for (int e = 0; e < k; e++) {
                out[e] /= sum;
            }
            double diff = entropy - desired;
            if (Math.abs(diff) <= ENTROPY_TOLERANCE) {
                break;
            }
            if (diff > 0) {
                lo = beta;
                beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = lo == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + lo) / 2;
            }
        }
        return beta;
    }

    /** (P_cond + P_cond^T) / (2N) from n x k conditional probabilities; deterministic column order per row. */
    static Affinities symmetrise(int n, int k, int[] index, float[] conditional) {
        try (Workers one = new Workers(1)) {
            return symmetrise(n, k, index, conditional, one);
        }
    }

    /** {@link #symmetrise(int, int, int[], float[])} with the per-row merge on {@code workers}; same result. */
    static Affinities symmetrise(int n, int k, int[] index, float[] conditional, Workers workers) {
        // each (i, j, p_j|i) goes to row i and, transposed, to row j; duplicates are merged after sorting
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int e = i * k; e < (i + 1) * k; e++) {
                count[i + 1]++;
                count[index[e] + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] fill = count.clone();
        int[] cols = new int[count[n]];
        double[] vals = new double[count[n]];
        for (int i = 0; i < n; i++) {
            for (int e = i * k; e < (i + 1) * k; e++) {
                int j = index[e];
                double p = conditional[e];
                cols[fill[i]] = j;
                vals[fill[i]++] = p;
                cols[fill[j]] = i;
                vals[fill[j]++] = p;
            }
        }
        // rows are sorted and merged in parallel, fixed chunks into chunk-local buffers, concatenated in chunk order
        double norm = 2.0 * n;
        int chunkRows = SYMMETRISE_CHUNK;
        int chunks = Workers.chunks(n, chunkRows);
        int[][] chunkCol = new int[chunks][];
        float[][] chunkVal = new float[chunks][];
        int[] rowLength = new int[n];
        workers.forChunks(n, chunkRows, (c, from, to) -> {
            int[] colBuf = new int[count[to] - count[from]];
            float[] valBuf = new float[colBuf.length];
            int used = 0;
            long[] keys = new long[0];
            for (int i = from; i < to; i++) {
                int a = count[i];
                int len = count[i + 1] - a;
                if (keys.length < len) {
                    keys = new long[Math.max(len, 2 * keys.length)];
                }
                for (int e = 0; e < len; e++) {
                    keys[e] = ((long) cols[a + e] << 32) | e;
                }
                java.util.Arrays.sort(keys, 0, len);
                int before = used;
                for (int e = 0; e < len; ) {
                    int j = (int) (keys[e] >>> 32);
                    double sum = 0;
                    // summing equal columns in their insertion order keeps the result independent of the sort
                    while (e < len && (int) (keys[e] >>> 32) == j) {
                        sum += vals[a + (int) keys[e]];
                        e++;
                    }
                    if (sum > 0) {
                        colBuf[used] = j;
                        valBuf[used++] = (float) (sum / norm);
                    }
                }
                rowLength[i] = used - before;
            }
            chunkCol[c] = java.util.Arrays.copyOf(colBuf, used);
            chunkVal[c] = java.util.Arrays.copyOf(valBuf, used);
        });
        int[] rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] = rowStart[i] + rowLength[i];
        }
        int nnz = rowStart[n];
        int[] outCol = new int[nnz];
        float[] outVal = new float[nnz];
        for (int c = 0; c < chunks; c++) {
            int at = rowStart[c * chunkRows];
            System.arraycopy(chunkCol[c], 0, outCol, at, chunkCol[c].length);
            System.arraycopy(chunkVal[c], 0, outVal, at, chunkVal[c].length);
        }
        return new Affinities(n, rowStart, outCol, outVal);
    }

    /** Every stored p_ij multiplied into a dense n x n array (tests and the exact reference, small n only). */
    double[] dense() {
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                p[i * n + col[e]] = val[e];
            }
        }
        return p;
    }
}
