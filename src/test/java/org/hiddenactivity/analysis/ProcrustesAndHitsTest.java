package org.hiddenactivity.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.Metrics;
import org.junit.jupiter.api.Test;

class ProcrustesAndHitsTest {
    static FloatMatrix random(int n, long seed) {
        Random r = new Random(seed);
        FloatMatrix m = FloatMatrix.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            m.set(i, 0, (float) r.nextGaussian());
            m.set(i, 1, (float) (0.5 * r.nextGaussian()));
        }
        return m;
    }

    @Test
    void recoversARotationReflectionScaleAndShift() {
        FloatMatrix a = random(200, 1);
        double angle = 1.1;
        double s = 3.5;
        // mirror in x, rotate, scale, shift
        FloatMatrix b = FloatMatrix.zeros(a.rows(), 2);
        for (int i = 0; i < a.rows(); i++) {
            double x = -a.get(i, 0);
            double y = a.get(i, 1);
            b.set(i, 0, (float) (s * (Math.cos(angle) * x - Math.sin(angle) * y) + 7));
            b.set(i, 1, (float) (s * (Math.sin(angle) * x + Math.cos(angle) * y) - 2));
        }
        Procrustes.Transform t = Procrustes.fit(a, b);
        assertTrue(t.reflects());
        assertEquals(s, t.scale(), 1e-4);
        assertTrue(t.residual() < 1e-4, "residual " + t.residual());
        FloatMatrix moved = t.apply(a);
        for (int i = 0; i < a.rows(); i++) {
            assertEquals(b.get(i, 0), moved.get(i, 0), 1e-3);
            assertEquals(b.get(i, 1), moved.get(i, 1), 1e-3);
        }
    }

    @Test
    void anUnrelatedMapKeepsTheTargetsSpreadInsteadOfCollapsing() {
        FloatMatrix a = random(300, 2);
        FloatMatrix b = random(300, 3);
        Procrustes.Transform t = Procrustes.fit(a, b);
        FloatMatrix moved = t.apply(a);
        assertEquals(spread(b), spread(moved), 1e-3 * spread(b));
    }

    static double spread(FloatMatrix m) {
        double cx = 0;
        double cy = 0;
        for (int i = 0; i < m.rows(); i++) {
            cx += m.get(i, 0);
            cy += m.get(i, 1);
        }
        cx /= m.rows();
        cy /= m.rows();
        double ss = 0;
        for (int i = 0; i < m.rows(); i++) {
            ss += Math.pow(m.get(i, 0) - cx, 2) + Math.pow(m.get(i, 1) - cy, 2);
        }
        return Math.sqrt(ss / m.rows());
    }

    @Test
    void perObservationHitsAverageToTheMetricsNeighbourhoodHit() {
        FloatMatrix points = random(700, 4);
        int[] labels = new int[700];
        Random r = new Random(5);
        for (int i = 0; i < labels.length; i++) {
            // labels partly follow x, so the hit is neither 0 nor 1
            labels[i] = points.get(i, 0) + 0.5 * r.nextGaussian() > 0 ? 1 : 0;
        }
        double[] hits = NeighbourhoodHits.perObservation(points, labels, 6);
        double mean = 0;
        for (double h : hits) {
            assertTrue(h >= 0 && h <= 1);
            mean += h / hits.length;
        }
        assertEquals(Metrics.neighbourhoodHit(points, labels, 6, 1), mean, 1e-12);
        assertTrue(mean > 0.6 && mean < 0.95, "hit " + mean);
    }
}
