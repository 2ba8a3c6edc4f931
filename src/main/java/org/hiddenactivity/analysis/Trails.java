package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;

/** Trails: each observation's successive 2-D positions as one polyline {@code [x0, y0, x1, y1, ...]}. */
final class Trails {
    private Trails() {}

    /**
     * Maps each snapshot into [-1, 1]^2 (centred, divided by the largest coordinate magnitude) so trails between
     * separately scaled projections are comparable; {@code shared} uses one map for all (a joint projection).
     */
    static List<FloatMatrix> normalise(List<FloatMatrix> snapshots, boolean shared) {
        List<FloatMatrix> out = new ArrayList<>();
        if (shared) {
            FloatMatrix all = FloatMatrix.vstack(snapshots);
            double[] map = centreAndScale(all);
            for (FloatMatrix s : snapshots) {
                out.add(apply(s, map));
            }
        } else {
            for (FloatMatrix s : snapshots) {
                out.add(apply(s, centreAndScale(s)));
            }
        }
        return out;
    }

    private static double[] centreAndScale(FloatMatrix m) {
        double cx = 0;
        double cy = 0;
        for (int i = 0; i < m.rows(); i++) {
            cx += m.get(i, 0);
            cy += m.get(i, 1);
        }
        cx /= Math.max(1, m.rows());
        cy /= Math.max(1, m.rows());
        double r = 0;
        for (int i = 0; i < m.rows(); i++) {
            r = Math.max(r, Math.max(Math.abs(m.get(i, 0) - cx), Math.abs(m.get(i, 1) - cy)));
        }
        return new double[] {cx, cy, r > 0 ? 1 / r : 1};
    }

    private static FloatMatrix apply(FloatMatrix m, double[] map) {
        FloatMatrix out = FloatMatrix.zeros(m.rows(), 2);
        for (int i = 0; i < m.rows(); i++) {
            out.set(i, 0, (float) ((m.get(i, 0) - map[0]) * map[2]));
            out.set(i, 1, (float) ((m.get(i, 1) - map[1]) * map[2]));
        }
        return out;
    }

    /** One polyline per observation through its positions in the successive snapshots. */
    static List<float[]> of(List<FloatMatrix> snapshots) {
        int n = snapshots.get(0).rows();
        List<float[]> trails = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] t = new float[2 * snapshots.size()];
            for (int s = 0; s < snapshots.size(); s++) {
                t[2 * s] = snapshots.get(s).get(i, 0);
                t[2 * s + 1] = snapshots.get(s).get(i, 1);
            }
            trails.add(t);
        }
        return trails;
    }

    /** Cells per side of the grid {@link #coveredArea} counts. */
    static final int AREA_GRID = 256;

    /**
     * Fraction of the cells of an {@link #AREA_GRID}-square grid over [-1, 1]^2 that at least one trail passes
     * through (segments walked in steps of a quarter cell): the ink a drawing needs when shared paths count once.
     */
    static double coveredArea(List<float[]> trails) {
        int g = AREA_GRID;
        boolean[] covered = new boolean[g * g];
        int count = 0;
        double step = 0.25 * 2.0 / g;
        for (float[] t : trails) {
            // each segment from point k to point k + 1; a one-point trail is its own segment
            for (int k = 0; k + 1 < t.length && (k == 0 || k + 3 < t.length); k += 2) {
                int e = k + 3 < t.length ? k + 2 : k;
                double x0 = t[k];
                double y0 = t[k + 1];
                double x1 = t[e];
                double y1 = t[e + 1];
                int n = Math.max(1, (int) Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
                for (int s = 0; s <= n; s++) {
                    int cx = cell(x0 + (x1 - x0) * s / n, g);
                    int cy = cell(y0 + (y1 - y0) * s / n, g);
                    if (!covered[cy * g + cx]) {
                        covered[cy * g + cx] = true;
                        count++;
                    }
                }
            }
        }
        return (double) count / (g * g);
    }

    private static int cell(double v, int g) {
        return Math.min(g - 1, Math.max(0, (int) ((v + 1) / 2 * g)));
    }
}
