package org.hiddenactivity.projection.cuda;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.TsneParameters;

/**
 * The exact reference the GPU engine is checked against (style.md #3): the same sparse P (exact kNN, bandwidth
 * search, (P + P^T) / 2N), then the exact O(N^2) gradient with the same schedule, in double precision.
 * For a few hundred points only.
 */
final class ExactTsne {
    private final int n;
    private final int[][] cols;     // CSR-like rows of P
    private final double[][] vals;

    ExactTsne(FloatMatrix x, double perplexity, int k) {
        this.n = x.rows();
        int d = x.cols();
        float[] a = x.data();
        int[][] nbr = new int[n][];
        double[][] pc = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] dist = new double[n];
            Integer[] idx = new Integer[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double t = a[i * d + c] - a[j * d + c];
                    s += t * t;
                }
                dist[j] = j == i ? Double.POSITIVE_INFINITY : s;
                idx[j] = j;
            }
            Arrays.sort(idx, (p, q) -> Double.compare(dist[p], dist[q]));
            nbr[i] = new int[k];
            double[] dk = new double[k];
            for (int j = 0; j < k; j++) {
                nbr[i][j] = idx[j];
                dk[j] = dist[idx[j]];
            }
            pc[i] = conditional(dk, perplexity);
        });
        // Symmetrise into a dense map per row (small n).
        java.util.List<java.util.Map<Integer, Double>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new java.util.TreeMap<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double v = pc[i][j] / (2.0 * n);
                rows.get(i).merge(nbr[i][j], v, Double::sum);
                rows.get(nbr[i][j]).merge(i, v, Double::sum);
            }
        }
        cols = new int[n][];
        vals = new double[n][];
        for (int i = 0; i < n; i++) {
            var r = rows.get(i);
            cols[i] = r.keySet().stream().mapToInt(Integer::intValue).toArray();
            vals[i] = r.values().stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** scikit-learn's _binary_search_perplexity for one row of squared distances. */
    static double[] conditional(double[] d, double perplexity) {
        double desired = Math.log(perplexity);
        double beta = 1, betaMin = Double.NEGATIVE_INFINITY, betaMax = Double.POSITIVE_INFINITY;
        for (int step = 0; step < 100; step++) {
            double sumP = 0, sumDP = 0;
            for (double v : d) {
                double e = Math.exp(-v * beta);
                sumP += e;
                sumDP += v * e;
            }
            if (sumP == 0) {
                sumP = 1e-8;
            }
            double h = Math.log(sumP) + beta * sumDP / sumP;
            double diff = h - desired;
            if (Math.abs(diff) <= 1e-5) {
                break;
            }
            if (diff > 0) {
                betaMin = beta;
                beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
            } else {
                betaMax = beta;
                beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
            }
        }
        double[] p = new double[d.length];
        double sumP = 0;
        for (int j = 0; j < d.length; j++) {
            p[j] = Math.exp(-d[j] * beta);
            sumP += p[j];
        }
        if (sumP == 0) {
            sumP = 1e-8;
        }
        for (int j = 0; j < d.length; j++) {
            p[j] /= sumP;
        }
        return p;
    }

    /** Exact KL(P || Q) of the embedding y (n x 2). */
    double kl(FloatMatrix y) {
        float[] a = y.data();
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double dx = a[2 * i] - a[2 * j], dy = a[2 * i + 1] - a[2 * j + 1];
                    z += 1 / (1 + dx * dx + dy * dy);
                }
            }
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < cols[i].length; e++) {
                int j = cols[i][e];
                double p = vals[i][e];
                double dx = a[2 * i] - a[2 * j], dy = a[2 * i + 1] - a[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / z;
                if (p > 0) {
                    kl += p * Math.log(p / q);
                }
            }
        }
        return kl;
    }

    /** Exact-gradient t-SNE from init with the schedule of params (scikit-learn's gradient descent rule). */
    FloatMatrix run(FloatMatrix init, TsneParameters params) {
        double[] y = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            y[i] = init.data()[i];
        }
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        Arrays.fill(gains, 1);
        double lr = params.effectiveLearningRate(n);
        double[] grad = new double[2 * n];
        for (int it = 0; it < params.maxIter(); it++) {
            boolean early = it < params.earlyExaggerationIter();
            if (it > 0 && it == params.earlyExaggerationIter()) {
                // scikit-learn's second gradient descent starts again from update 0 and gains 1
                Arrays.fill(update, 0);
                Arrays.fill(gains, 1);
            }
            double exag = early ? params.earlyExaggeration() : 1;
            double momentum = early ? params.initialMomentum() : params.finalMomentum();
            double[] rep = new double[2 * n];
            double[] zs = new double[n];
            final double[] yy = y;
            IntStream.range(0, n).parallel().forEach(i -> {
                double fx = 0, fy = 0, z = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double dx = yy[2 * i] - yy[2 * j], dy = yy[2 * i + 1] - yy[2 * j + 1];
                    double q = 1 / (1 + dx * dx + dy * dy);
                    z += q;
                    fx += q * q * dx;
                    fy += q * q * dy;
                }
                rep[2 * i] = fx;
                rep[2 * i + 1] = fy;
                zs[i] = z;
            });
            double z = 0;
            for (double v : zs) {
                z += v;
            }
            for (int i = 0; i < n; i++) {
                double ax = 0, ay = 0;
                for (int e = 0; e < cols[i].length; e++) {
                    int j = cols[i][e];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double pq = vals[i][e] / (1 + dx * dx + dy * dy);
                    ax += pq * dx;
                    ay += pq * dy;
                }
                grad[2 * i] = 4 * (exag * ax - rep[2 * i] / z);
                grad[2 * i + 1] = 4 * (exag * ay - rep[2 * i + 1] / z);
            }
            for (int c = 0; c < 2 * n; c++) {
                gains[c] = update[c] * grad[c] < 0 ? gains[c] + 0.2 : gains[c] * 0.8;
                gains[c] = Math.max(gains[c], params.minGain());
                update[c] = momentum * update[c] - lr * gains[c] * grad[c];
                y[c] += update[c];
            }
        }
        float[] out = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            out[i] = (float) y[i];
        }
        return new FloatMatrix(n, 2, out);
    }

    /**
     * Trustworthiness (Venna and Kaski; scikit-learn's definition) of embedding y for data x with k neighbours.
     * O(N^2 D): for checks on small inputs.
     */
    static double trustworthiness(FloatMatrix x, FloatMatrix y, int k) {
        int n = x.rows();
        double[] penalties = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] rankHigh = ranks(x, i);
            int[] orderLow = order(y, i);
            double s = 0;
            for (int r = 1; r <= k; r++) {  // orderLow[0] is i itself
                int j = orderLow[r];
                int rank = rankHigh[j];
                if (rank > k) {
                    s += rank - k;
                }
            }
            penalties[i] = s;
        });
        double total = 0;
        for (double p : penalties) {
            total += p;
        }
        return 1 - total * 2.0 / (n * (double) k * (2.0 * n - 3.0 * k - 1.0));
    }

    private static int[] order(FloatMatrix m, int i) {
        int n = m.rows(), d = m.cols();
        float[] a = m.data();
        double[] dist = new double[n];
        Integer[] idx = new Integer[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                double t = a[i * d + c] - a[j * d + c];
                s += t * t;
            }
            dist[j] = j == i ? -1 : s;
            idx[j] = j;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(dist[p], dist[q]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** rank[j] = position of j among i's neighbours in m (1 = nearest; i itself 0). */
    private static int[] ranks(FloatMatrix m, int i) {
        int[] o = order(m, i);
        int[] rank = new int[o.length];
        for (int r = 0; r < o.length; r++) {
            rank[o[r]] = r;
        }
        return rank;
    }
}
