package org.hiddenactivity.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.hiddenactivity.core.FloatMatrix;

/**
 * Orthogonal Procrustes in 2-D: the rotation or reflection R and shift t minimising
 * sum_i |target_i - (s R source_i + t)|^2 over paired points (Schönemann 1966; SVD of the 2 x 2 cross-covariance
 * by commons-math), with the scale s that gives the source the target's root-mean-square spread. (The
 * least-squares scale would shrink a source that fits the target poorly towards its centre: an after-training
 * neuron map barely related to the untrained one would collapse to a dot.) A similarity transform keeps every
 * distance ratio of the source layout, so an aligned map is exactly what its own projection found, only turned,
 * mirrored, scaled and moved to lie over the target.
 */
public final class Procrustes {
    /** x' = scale * (R x) + shift, R = {{r00, r01}, {r10, r11}}. */
    public record Transform(double r00, double r01, double r10, double r11, double scale, double shiftX,
                            double shiftY, double residual) {
        public static final Transform IDENTITY = new Transform(1, 0, 0, 1, 1, 0, 0, Double.NaN);

        /** Applies the transform to every row of an n x 2 matrix. */
        public FloatMatrix apply(FloatMatrix points) {
            FloatMatrix out = FloatMatrix.zeros(points.rows(), 2);
            for (int i = 0; i < points.rows(); i++) {
                double x = points.get(i, 0);
                double y = points.get(i, 1);
                out.set(i, 0, (float) (scale * (r00 * x + r01 * y) + shiftX));
                out.set(i, 1, (float) (scale * (r10 * x + r11 * y) + shiftY));
            }
            return out;
        }

        public boolean reflects() {
            return r00 * r11 - r01 * r10 < 0;
        }
    }

    private Procrustes() {}

    /**
     * The transform taking {@code source} rows onto the paired {@code target} rows (both n x 2, n >= 2), scaled to
     * the target's spread;
     * {@code residual} is the root-mean-square distance left after alignment. Fewer than 2 pairs, or a source
     * with all points equal, gives the identity.
     */
    public static Transform fit(FloatMatrix source, FloatMatrix target) {
        int n = source.rows();
        if (n != target.rows() || source.cols() != 2 || target.cols() != 2) {
            throw new IllegalArgumentException("need paired n x 2 matrices, got " + source + " and " + target);
        }
        if (n < 2) {
            return Transform.IDENTITY;
        }
        double[] ms = mean(source);
        double[] mt = mean(target);
        double[][] cross = new double[2][2];
        double sourceSs = 0;
        double targetSs = 0;
        for (int i = 0; i < n; i++) {
            double sx = source.get(i, 0) - ms[0];
            double sy = source.get(i, 1) - ms[1];
            double tx = target.get(i, 0) - mt[0];
            double ty = target.get(i, 1) - mt[1];
            cross[0][0] += tx * sx;
            cross[0][1] += tx * sy;
            cross[1][0] += ty * sx;
            cross[1][1] += ty * sy;
            sourceSs += sx * sx + sy * sy;
            targetSs += tx * tx + ty * ty;
        }
        if (!(sourceSs > 0)) {
            return Transform.IDENTITY;
        }
        // cross = T^T S = U D V^T; the best R is U V^T (for any positive scale).
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(cross));
        RealMatrix r = svd.getU().multiply(svd.getVT());
        double s = targetSs > 0 ? Math.sqrt(targetSs / sourceSs) : 1;
        double r00 = r.getEntry(0, 0);
        double r01 = r.getEntry(0, 1);
        double r10 = r.getEntry(1, 0);
        double r11 = r.getEntry(1, 1);
        double shiftX = mt[0] - s * (r00 * ms[0] + r01 * ms[1]);
        double shiftY = mt[1] - s * (r10 * ms[0] + r11 * ms[1]);
        Transform t = new Transform(r00, r01, r10, r11, s, shiftX, shiftY, Double.NaN);
        FloatMatrix moved = t.apply(source);
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double dx = moved.get(i, 0) - target.get(i, 0);
            double dy = moved.get(i, 1) - target.get(i, 1);
            ss += dx * dx + dy * dy;
        }
        return new Transform(r00, r01, r10, r11, s, shiftX, shiftY, Math.sqrt(ss / n));
    }

    private static double[] mean(FloatMatrix m) {
        double x = 0;
        double y = 0;
        for (int i = 0; i < m.rows(); i++) {
            x += m.get(i, 0);
            y += m.get(i, 1);
        }
        return new double[] {x / m.rows(), y / m.rows()};
    }
}
