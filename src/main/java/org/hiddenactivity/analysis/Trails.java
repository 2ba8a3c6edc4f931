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

}
