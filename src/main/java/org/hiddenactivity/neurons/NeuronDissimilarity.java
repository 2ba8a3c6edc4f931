package org.hiddenactivity.neurons;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import java.util.Arrays;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * Dissimilarity between the neurons of a layer: 1 - |Pearson r| of their activations over the observations,
 * from one GEMM of the z-scored columns (OpenBLAS). Dead neurons (constant activation: no correlation is
 * defined) are left out of the matrix and listed, never given distance 0.
 *
 * @param live      original column index of each row/column of {@code distances}, ascending
 * @param dead      original column indices of the dead neurons, ascending
 * @param distances live x live, row-major, symmetric, 0 on the diagonal, values in [0, 1]
 */
public record NeuronDissimilarity(int[] live, int[] dead, double[] distances) {
    /** Beyond this the L x L matrix (8 bytes each) and the MDS over it grow past what the analyses need. */
    public static final int MAX_NEURONS = 4096;

    /** Number of live neurons (the side of the matrix). */
    public int size() {
        return live.length;
    }

    public int deadCount() {
        return dead.length;
    }

    /** Dissimilarity between live neurons {@code i} and {@code j} (indices into {@link #live()}). */
    public double get(int i, int j) {
        return distances[i * live.length + j];
    }

    /**
     * The entries of a per-neuron array (one value per column of the activations, e.g. importances) that
     * belong to the live neurons, in the order of {@link #live()} (the order of the MDS points).
     */
    public double[] liveValues(double[] perNeuron) {
        int m = live.length + dead.length;
        if (perNeuron.length != m) {
            throw new IllegalArgumentException("expected one value per neuron (" + m + "), got " + perNeuron.length);
        }
        return select(perNeuron, live);
    }

    /** The entries of {@code perNeuron} at {@code indices}, in that order (e.g. the live neurons of a layout). */
    public static double[] select(double[] perNeuron, int[] indices) {
        double[] out = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = perNeuron[indices[k]];
        }
        return out;
    }

    /**
     * Computes the dissimilarities of the columns of {@code activations} (observations x neurons).
     * A neuron is dead when all its activations are equal.
     */
    public static NeuronDissimilarity of(FloatMatrix activations) {
        int n = activations.rows();
        int m = activations.cols();
        if (m > MAX_NEURONS) {
            throw new HavException("neuron dissimilarity", "layer has " + m + " neurons, more than " + MAX_NEURONS,
                    "choose a smaller layer or project a subset of its neurons");
        }
        if (n < 2) {
            throw new HavException("neuron dissimilarity", "need at least 2 observations, got " + n,
                    "use a larger sample");
        }
        long bad = activations.firstNonFinite();
        if (bad >= 0) {
            throw new HavException("activations", "non-finite value at row " + (bad / m) + ", column " + (bad % m),
                    "check the model's outputs for NaN or infinity");
        }
        float[] a = activations.data();
        double[] mean = new double[m];
        float[] min = new float[m];
        float[] max = new float[m];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int base = i * m;
            for (int j = 0; j < m; j++) {
                float v = a[base + j];
                mean[j] += v;
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
        }
        int liveCount = 0;
        for (int j = 0; j < m; j++) {
            mean[j] /= n;
            if (max[j] > min[j]) {
                liveCount++;
            }
        }
        int[] live = new int[liveCount];
        int[] dead = new int[m - liveCount];
        for (int j = 0, l = 0, d = 0; j < m; j++) {
            if (max[j] > min[j]) {
                live[l++] = j;
            } else {
                dead[d++] = j;
            }
        }
        int l = liveCount;
        // z: column-major n x l (each live neuron contiguous), centred then scaled to unit norm, so z^T z = r.
        double[] z = new double[n * l];
        for (int c = 0; c < l; c++) {
            int j = live[c];
            double mu = mean[j];
            double ss = 0;
            int off = c * n;
            for (int i = 0; i < n; i++) {
                double v = a[i * m + j] - mu;
                z[off + i] = v;
                ss += v * v;
            }
            // A live column can still have ss == 0 after rounding only if its values differ below double precision.
            double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0;
            for (int i = 0; i < n; i++) {
                z[off + i] *= inv;
            }
        }
        double[] r = new double[l * l];
        if (l > 0) {
            // one OpenBLAS thread: its thread count is process-wide and other stages change it, and the last bits of
            // the product depend on it, so a JVM's first neuron map differed from the later ones (issue 20)
            int previousThreads = blas_get_num_threads();
            blas_set_num_threads(1);
            try {
                cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, l, l, n, 1.0, z, n, z, n, 0.0, r, l);
            } finally {
                blas_set_num_threads(previousThreads);
            }
        }
        for (int i = 0; i < l; i++) {
            r[i * l + i] = 0.0;
            for (int j = i + 1; j < l; j++) {
                // Average the two triangles so the matrix is exactly symmetric; clamp rounding beyond |r| = 1.
                double rij = 0.5 * (Math.abs(r[i * l + j]) + Math.abs(r[j * l + i]));
                double d = Math.max(0.0, 1.0 - Math.min(1.0, rij));
                r[i * l + j] = d;
                r[j * l + i] = d;
            }
        }
        return new NeuronDissimilarity(live, dead, r);
    }
}
