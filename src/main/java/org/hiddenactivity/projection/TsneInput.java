package org.hiddenactivity.projection;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * The one entry of every t-SNE backend (and of {@link Metrics}): the checks of the input with their messages, the
 * small-input rule ({@link TsneParameters#forPoints}) and the rescaling that makes t-SNE independent of the scale of
 * the data. Both backends embed {@link #snapshots()} with {@link #params()}, so they see the same input.
 * <p>
 * Rescaling: each matrix is multiplied by 2^-e, e the binary exponent of its largest absolute value, so that value
 * lands in [1, 2). Multiplying by a power of two only changes exponents, so no value loses precision, a matrix already
 * in that range is used bit for bit (no copy), and data times 2^k give exactly the same embedding for any k. For any
 * other factor the result is the same up to the float rounding of the scaled input. Without it, squared distances of
 * data times 1e30 overflow float and those of data times 1e-20 underflow to 0.
 *
 * @param snapshots the rescaled matrices, all with {@code n} rows (one for {@code embed})
 * @param n         the number of points
 * @param params    the parameters as used on n points ({@link TsneParameters#forPoints})
 * @param initial   checked starting points (n x nComponents), or null
 * @param lambda    dynamic t-SNE's movement weight (0 for a single embedding)
 */
public record TsneInput(List<FloatMatrix> snapshots, int n, TsneParameters params, FloatMatrix initial,
                        double lambda) {
    /** Subject of the messages about a single input matrix. */
    public static final String SUBJECT = "t-SNE input";
    private static final String DYNAMIC = "dynamic t-SNE";

    /** The input of {@link TsneBackend#embed}: data checked and rescaled, initial points checked. */
    public static TsneInput of(FloatMatrix data, TsneParameters params, FloatMatrix initial) {
        checkParams(params);
        checkMatrix(data, SUBJECT);
        int n = data.rows();
        TsneParameters used = params.forPoints(n);
        return new TsneInput(List.of(scaled(withMetric(data, used.metric(), SUBJECT))), n, used,
                checkedInitial(initial, n, used.nComponents()), 0);
    }

    /** The input of {@link TsneBackend#embedDynamic}: every snapshot checked and rescaled on its own. */
    public static TsneInput dynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda) {
        checkParams(params);
        if (snapshots == null || snapshots.isEmpty()) {
            throw new HavException(DYNAMIC, "no snapshots given", "pass at least one matrix");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new HavException(DYNAMIC, "lambda must be finite and >= 0, got " + lambda, "use e.g. 0.1");
        }
        int n = snapshots.get(0).rows();
        List<FloatMatrix> out = new ArrayList<>(snapshots.size());
        for (int s = 0; s < snapshots.size(); s++) {
            FloatMatrix m = snapshots.get(s);
            String subject = DYNAMIC + " snapshot " + s;
            if (m.rows() != n) {
                throw new HavException(subject, "has " + m.rows() + " rows, snapshot 0 has " + n,
                        "give every snapshot the same observations in the same order");
            }
            checkMatrix(m, subject);
            out.add(scaled(withMetric(m, params.metric(), subject)));
        }
        return new TsneInput(List.copyOf(out), n, params.forPoints(n), null, lambda);
    }

    /** The single matrix of an {@link #of} input. */
    public FloatMatrix data() {
        return snapshots.get(0);
    }

    /**
     * {@code m} multiplied by the power of two that brings its largest absolute value into [1, 2); {@code m} itself
     * when it is already there or is all zeros. Values must be finite.
     */
    public static FloatMatrix scaled(FloatMatrix m) {
        double factor = scaleFactor(m.data());
        if (factor == 1) {
            return m;
        }
        float[] v = m.data();
        float[] out = new float[v.length];
        for (int e = 0; e < v.length; e++) {
            out[e] = (float) (v[e] * factor);  // exact: a power of two, in double so that 2^149 fits
        }
        return new FloatMatrix(m.rows(), m.cols(), out);
    }

    /**
     * The matrix whose squared Euclidean distances are the metric's: {@code m} itself for EUCLIDEAN; for COSINE each
     * row divided by its length (squared distances = 2 x cosine distances). An all-zero row has no cosine distance.
     */
    public static FloatMatrix withMetric(FloatMatrix m, TsneParameters.Metric metric, String subject) {
        if (metric == TsneParameters.Metric.EUCLIDEAN) {
            return m;
        }
        int d = m.cols();
        float[] v = m.data();
        float[] out = new float[v.length];
        for (int i = 0; i < m.rows(); i++) {
            double ss = 0;
            for (int c = 0; c < d; c++) {
                ss += (double) v[i * d + c] * v[i * d + c];
            }
            if (!(ss > 0)) {
                throw new HavException(subject, "row " + i + " is all zeros: its cosine distance is undefined",
                        "remove the row or use --metric euclidean");
            }
            double inv = 1 / Math.sqrt(ss);
            for (int c = 0; c < d; c++) {
                out[i * d + c] = (float) (v[i * d + c] * inv);
            }
        }
        return new FloatMatrix(m.rows(), d, out);
    }

    /** 2^-e, e the binary exponent of the largest |value| (1 for all zeros). */
    static double scaleFactor(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max == 0 ? 1 : Math.scalb(1.0, -Math.getExponent((double) max));
    }

    /** Dissimilarities for {@code metric="precomputed"} rescaled like data (their largest value into [1, 2)). */
    static double[] scaledDistances(double[] d) {
        double max = 0;
        for (double x : d) {
            max = Math.max(max, x);
        }
        if (max == 0 || Math.getExponent(max) == 0) {
            return d;
        }
        double factor = Math.scalb(1.0, -Math.getExponent(max));
        double[] out = new double[d.length];
        for (int e = 0; e < d.length; e++) {
            out[e] = d[e] * factor;
        }
        return out;
    }

    private static void checkParams(TsneParameters params) {
        if (params == null) {
            throw new HavException(SUBJECT, "no parameters given", "pass TsneParameters.defaults()");
        }
    }

    /** At least 2 rows, at least 1 column, finite values; the message names the first bad value. */
    public static void checkMatrix(FloatMatrix m, String subject) {
        if (m == null) {
            throw new HavException(subject, "no matrix given", "pass an N x D matrix");
        }
        if (m.rows() < 2) {
            throw new HavException(subject, m.rows() + " point(s); t-SNE needs at least 2", "give more observations");
        }
        if (m.cols() < 1) {
            throw new HavException(subject, "no features (0 columns)", "give an N x D matrix with D >= 1");
        }
        long bad = m.firstNonFinite();
        if (bad >= 0) {
            throw new HavException(subject, "value at row " + (bad / m.cols()) + ", column " + (bad % m.cols())
                    + " is " + m.data()[(int) bad], "remove or impute NaN and infinite values");
        }
    }

    private static FloatMatrix checkedInitial(FloatMatrix initial, int n, int dims) {
        if (initial == null) {
            return null;
        }
        if (initial.rows() != n || initial.cols() != dims) {
            throw new HavException("t-SNE initial points", "shape " + initial.rows() + " x " + initial.cols()
                    + ", expected " + n + " x " + dims, "give one starting point per observation");
        }
        if (initial.firstNonFinite() >= 0) {
            throw new HavException("t-SNE initial points", "contain NaN or infinite values", "give finite points");
        }
        return initial;
    }
}
