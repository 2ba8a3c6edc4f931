package org.hiddenactivity.neurons;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * Feature importances (mean decrease in impurity) of extremely randomized trees, with the semantics of
 * scikit-learn's {@code ExtraTreesClassifier(n_estimators, max_features="sqrt", criterion="gini",
 * bootstrap=False, max_depth=None, min_samples_split=2, min_samples_leaf=1)} and its
 * {@code feature_importances_}. Written here because no Java library gives scikit-learn's MDI importances
 * (see docs/libraries.md). Only the importances are kept; the trees are not stored.
 *
 * <p>Per node: features are drawn at random without replacement until floor(sqrt(F)) have been visited
 * (features found constant in the node are skipped and remembered for the subtree, as scikit-learn's
 * RandomSplitter does; drawing continues past constants while no non-constant feature has been seen);
 * for each, a threshold uniform in (min, max) of that feature in the node; the best gini decrease wins.
 * Per node the work is O(n_node * sqrt(F)): no presorting.
 *
 * <p>Deterministic for a seed whatever the thread count: each tree has its own generator split from one
 * {@link SplittableRandom} in tree order, and the per-tree importances are summed in tree order.
 */
public final class ExtraTrees {
    /** scikit-learn's FEATURE_THRESHOLD: a feature whose node range is below this counts as constant. */
    private static final double FEATURE_THRESHOLD = 1e-7;
    /** scikit-learn's EPSILON below which a node's impurity counts as pure. */
    private static final double PURE = 1e-7;

    private ExtraTrees() {}

    /**
     * Importances of every column of {@code x} for predicting {@code y}, normalised to sum 1 (all zeros when
     * no tree could split, e.g. a single class).
     *
     * @param x       observations x features (not modified)
     * @param y       class of each observation, 0..K-1
     * @param nTrees  number of trees (scikit-learn's n_estimators; the notebook uses 100)
     * @param seed    seed of the per-tree generators
     * @param threads worker threads (at least 1); the result does not depend on it
     */
    public static double[] importances(FloatMatrix x, int[] y, int nTrees, long seed, int threads) {
        validate(x, y, nTrees, threads);
        int nClasses = 0;
        for (int label : y) {
            nClasses = Math.max(nClasses, label + 1);
        }
        return fit(columns(x), y, Math.max(nClasses, 1), nTrees, seed, threads);
    }

    /**
     * One-vs-rest importances: row c holds the importances of each column for telling class c from all others
     * (binary trees on y == c), each row normalised to sum 1 (or all zeros when class c is absent or is
     * every observation). Class c uses the seed {@code seed + c}.
     */
    public static double[][] oneVsRest(FloatMatrix x, int[] y, int nClasses, int nTrees, long seed, int threads) {
        validate(x, y, nTrees, threads);
        if (nClasses < 1) {
            throw new IllegalArgumentException("nClasses must be at least 1, got " + nClasses);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= nClasses) {
                throw new HavException("labels", "label " + y[i] + " at observation " + i + " is not below nClasses = "
                        + nClasses, "pass the number of classes of the dataset");
            }
        }
        float[][] cols = columns(x);
        double[][] out = new double[nClasses][];
        int[] binary = new int[y.length];
        for (int c = 0; c < nClasses; c++) {
            for (int i = 0; i < y.length; i++) {
                binary[i] = y[i] == c ? 1 : 0;
            }
            out[c] = fit(cols, binary, 2, nTrees, seed + c, threads);
        }
        return out;
    }

    private static void validate(FloatMatrix x, int[] y, int nTrees, int threads) {
        if (x.rows() != y.length) {
            throw new HavException("labels", x.rows() + " observations but " + y.length + " labels",
                    "pass one label per row of the activations");
        }
        if (x.rows() == 0 || x.cols() == 0) {
            throw new HavException("activations", "empty matrix " + x, "pass at least one observation and one feature");
        }
        if (nTrees < 1 || threads < 1) {
            throw new IllegalArgumentException("nTrees and threads must be at least 1, got " + nTrees + ", " + threads);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw new HavException("labels", "negative label " + y[i] + " at observation " + i,
                        "labels must be class indices 0..K-1");
            }
        }
        long bad = x.firstNonFinite();
        if (bad >= 0) {
            throw new HavException("activations", "non-finite value at row " + (bad / x.cols()) + ", column "
                    + (bad % x.cols()), "check the model's outputs for NaN or infinity");
        }
    }

    /** Column-major copy: a node reads one feature of its samples at a time. */
    private static float[][] columns(FloatMatrix x) {
        int n = x.rows();
        int f = x.cols();
        float[] d = x.data();
        float[][] cols = new float[f][n];
        for (int i = 0; i < n; i++) {
            int base = i * f;
            for (int j = 0; j < f; j++) {
                cols[j][i] = d[base + j];
            }
        }
        return cols;
    }

    private static double[] fit(float[][] cols, int[] y, int nClasses, int nTrees, long seed, int threads) {
        int nFeatures = cols.length;
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom[] rngs = new SplittableRandom[nTrees];
        for (int t = 0; t < nTrees; t++) {
            rngs[t] = master.split();
        }
        double[][] perTree = new double[nTrees][];
        if (threads == 1) {
            for (int t = 0; t < nTrees; t++) {
                perTree[t] = new TreeBuilder(cols, y, nClasses, rngs[t]).build();
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, nTrees), r -> {
                Thread th = new Thread(r, "extra-trees");
                th.setDaemon(true);
                return th;
            });
            try {
                List<Future<double[]>> futures = new ArrayList<>(nTrees);
                for (int t = 0; t < nTrees; t++) {
                    SplittableRandom rng = rngs[t];
                    futures.add(pool.submit(() -> new TreeBuilder(cols, y, nClasses, rng).build()));
                }
                for (int t = 0; t < nTrees; t++) {
                    perTree[t] = futures.get(t).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while growing trees", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("growing a tree failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        // scikit-learn: mean over trees that split at least once, then normalised to sum 1.
        double[] sum = new double[nFeatures];
        for (double[] imp : perTree) {
            if (imp == null) {
                continue;
            }
            for (int j = 0; j < nFeatures; j++) {
                sum[j] += imp[j];
            }
        }
        double total = 0;
        for (double v : sum) {
            total += v;
        }
        if (total > 0) {
            for (int j = 0; j < nFeatures; j++) {
                sum[j] /= total;
            }
        }
        return sum;
    }

    /** A node to grow: samples[start, end), how many features are known constant in it, its class counts. */
    private record Node(int start, int end, int nConstant, int[] counts) {}

    /** Grows one tree depth-first, accumulating weighted impurity decreases; returns null for a single-leaf tree. */
    private static final class TreeBuilder {
        private final float[][] cols;
        private final int[] y;
        private final int nClasses;
        private final SplittableRandom rng;
        private final int n;
        private final int nFeatures;
        private final int maxFeatures;
        private final int[] samples;
        private final int[] features;
        private final int[] constantFeatures;
        private final double[] importance;
        private final int[] leftCounts;
        private final int[] bestLeftCounts;
        private boolean split;

        TreeBuilder(float[][] cols, int[] y, int nClasses, SplittableRandom rng) {
            this.cols = cols;
            this.y = y;
            this.nClasses = nClasses;
            this.rng = rng;
            this.n = y.length;
            this.nFeatures = cols.length;
            this.maxFeatures = Math.max(1, (int) Math.floor(Math.sqrt(nFeatures)));
            this.samples = new int[n];
            for (int i = 0; i < n; i++) {
                samples[i] = i;
            }
            this.features = new int[nFeatures];
            for (int j = 0; j < nFeatures; j++) {
                features[j] = j;
            }
            this.constantFeatures = new int[nFeatures];
            this.importance = new double[nFeatures];
            this.leftCounts = new int[nClasses];
            this.bestLeftCounts = new int[nClasses];
        }

        double[] build() {
            int[] counts = new int[nClasses];
            for (int label : y) {
                counts[label]++;
            }
            // Explicit stack so that deep trees cannot overflow the Java stack.
            ArrayList<Node> stack = new ArrayList<>();
            stack.add(new Node(0, n, 0, counts));
            while (!stack.isEmpty()) {
                Node node = stack.remove(stack.size() - 1);
                int start = node.start();
                int end = node.end();
                int nConstant = node.nConstant();
                int[] nodeCounts = node.counts();
                int size = end - start;
                double impurity = gini(nodeCounts, size);
                if (size < 2 || impurity <= PURE) {
                    continue;
                }
                int[] result = splitNode(start, end, nConstant, nodeCounts);
                if (result == null) {
                    continue;
                }
                int pos = result[0];
                int childConstant = result[1];
                int[] left = bestLeftCounts.clone();
                int[] right = new int[nClasses];
                for (int k = 0; k < nClasses; k++) {
                    right[k] = nodeCounts[k] - left[k];
                }
                int nLeft = pos - start;
                int nRight = end - pos;
                double decrease = size * impurity - nLeft * gini(left, nLeft) - nRight * gini(right, nRight);
                importance[result[2]] += decrease;
                split = true;
                // Right pushed first so the left child is grown first, as scikit-learn's depth-first builder does.
                stack.add(new Node(pos, end, childConstant, right));
                stack.add(new Node(start, pos, childConstant, left));
            }
            if (!split) {
                return null;
            }
            double total = 0;
            for (int j = 0; j < nFeatures; j++) {
                importance[j] /= n;
                total += importance[j];
            }
            if (total > 0) {
                for (int j = 0; j < nFeatures; j++) {
                    importance[j] /= total;
                }
            }
            return importance;
        }

        /**
         * Finds the best random split of samples[start, end), partitions the samples around it and fills
         * bestLeftCounts. Returns {pos, nConstant for the children, feature}, or null when no feature splits.
         */
        private int[] splitNode(int start, int end, int nKnownConstants, int[] nodeCounts) {
            int nFoundConstants = 0;
            int nDrawnConstants = 0;
            int nTotalConstants = nKnownConstants;
            int nVisited = 0;
            int fi = nFeatures;
            int bestFeature = -1;
            double bestThreshold = 0;
            double bestProxy = Double.NEGATIVE_INFINITY;
            while (fi > nTotalConstants
                    && (nVisited < maxFeatures || nVisited <= nFoundConstants + nDrawnConstants)) {
                nVisited++;
                // Draw among the features not yet drawn and not known constant in this node.
                int fj = nDrawnConstants + rng.nextInt(fi - nFoundConstants - nDrawnConstants);
                if (fj < nKnownConstants) {
                    swap(features, nDrawnConstants, fj);
                    nDrawnConstants++;
                    continue;
                }
                fj += nFoundConstants;
                int feature = features[fj];
                float[] col = cols[feature];
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = start; p < end; p++) {
                    float v = col[samples[p]];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
                if (max <= min + FEATURE_THRESHOLD) {
                    swap(features, fj, nTotalConstants);
                    nFoundConstants++;
                    nTotalConstants++;
                    continue;
                }
                fi--;
                swap(features, fi, fj);
                double threshold = min + (max - (double) min) * rng.nextDouble();
                if (threshold >= max) {
                    threshold = min;
                }
                java.util.Arrays.fill(leftCounts, 0);
                int nLeft = 0;
                for (int p = start; p < end; p++) {
                    int s = samples[p];
                    if (col[s] <= threshold) {
                        leftCounts[y[s]]++;
                        nLeft++;
                    }
                }
                int nRight = end - start - nLeft;
                if (nLeft == 0 || nRight == 0) {
                    continue;
                }
                // scikit-learn's proxy: larger sum_k c_k^2 / n over both children = smaller weighted gini.
                double sl = 0;
                double sr = 0;
                for (int k = 0; k < nClasses; k++) {
                    double l = leftCounts[k];
                    double r = nodeCounts[k] - leftCounts[k];
                    sl += l * l;
                    sr += r * r;
                }
                double proxy = sl / nLeft + sr / nRight;
                if (proxy > bestProxy) {
                    bestProxy = proxy;
                    bestFeature = feature;
                    bestThreshold = threshold;
                    System.arraycopy(leftCounts, 0, bestLeftCounts, 0, nClasses);
                }
            }
            // Keep the known constants in their original order for siblings, and record the new ones for children.
            System.arraycopy(constantFeatures, 0, features, 0, nKnownConstants);
            System.arraycopy(features, nKnownConstants, constantFeatures, nKnownConstants, nFoundConstants);
            if (bestFeature < 0) {
                return null;
            }
            float[] col = cols[bestFeature];
            int lo = start;
            int hi = end;
            while (lo < hi) {
                if (col[samples[lo]] <= bestThreshold) {
                    lo++;
                } else {
                    hi--;
                    swap(samples, lo, hi);
                }
            }
            return new int[] {lo, nTotalConstants, bestFeature};
        }

        private static double gini(int[] counts, int size) {
            if (size == 0) {
                return 0;
            }
            double sq = 0;
            for (int c : counts) {
                sq += (double) c * c;
            }
            return 1.0 - sq / ((double) size * size);
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
