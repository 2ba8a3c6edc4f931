package org.hiddenactivity.projection;

/**
 * UMAP's low-dimensional similarity 1 / (1 + a d^(2b)) and the fit of a and b, as umap-learn's
 * {@code find_ab_params}: least squares on 300 distances evenly spaced in [0, 3 spread] against 1 below minDist and
 * exp(-(d - minDist) / spread) above, from a = b = 1 (scipy's curve_fit start), here by Levenberg-Marquardt.
 *
 * @param a the curve's scale
 * @param b the curve's exponent
 */
public record UmapCurve(double a, double b) {
    private static final int POINTS = 300;

    static UmapCurve fit(double spread, double minDist) {
        double[] x = new double[POINTS];
        double[] y = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = 3 * spread * i / (POINTS - 1);
            y[i] = x[i] < minDist ? 1 : Math.exp(-(x[i] - minDist) / spread);
        }
        double a = 1;
        double b = 1;
        double damping = 1e-3;
        double cost = cost(x, y, a, b);
        for (int it = 0; it < 500; it++) {
            // normal equations of the Gauss-Newton step, J^T J + damping diag(J^T J)
            double jaa = 0;
            double jab = 0;
            double jbb = 0;
            double ga = 0;
            double gb = 0;
            for (int i = 0; i < POINTS; i++) {
                double f = model(x[i], a, b);
                double r = f - y[i];
                double da = 0;
                double db = 0;
                if (x[i] > 0) {
                    double p = Math.pow(x[i], 2 * b);
                    double f2 = f * f;
                    da = -p * f2;
                    db = -a * p * 2 * Math.log(x[i]) * f2;
                }
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            double maa = jaa * (1 + damping);
            double mbb = jbb * (1 + damping);
            double det = maa * mbb - jab * jab;
            if (!(Math.abs(det) > 0)) {
                break;
            }
            double stepA = -(mbb * ga - jab * gb) / det;
            double stepB = -(maa * gb - jab * ga) / det;
            double next = cost(x, y, a + stepA, b + stepB);
            if (next < cost) {
                a += stepA;
                b += stepB;
                boolean converged = cost - next <= 1e-15 * Math.max(1, cost);
                cost = next;
                damping = Math.max(damping / 10, 1e-12);
                if (converged) {
                    break;
                }
            } else {
                damping *= 10;
                if (damping > 1e12) {
                    break;
                }
            }
        }
        return new UmapCurve(a, b);
    }

    private static double model(double x, double a, double b) {
        return 1 / (1 + a * Math.pow(x, 2 * b));
    }

    private static double cost(double[] x, double[] y, double a, double b) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = model(x[i], a, b) - y[i];
            s += r * r;
        }
        return Double.isFinite(s) ? s : Double.POSITIVE_INFINITY;
    }
}
