package org.hiddenactivity.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

class MdsTest {
    private static double[] distances(double[][] p) {
        int n = p.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]);
            }
        }
        return d;
    }

    @Test
    void recoversAKnownPlanarConfigurationUpToRotation() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 120;
        double[][] p = new double[n][2];
        for (double[] q : p) {
            q[0] = rng.nextDouble() * 10;
            q[1] = rng.nextDouble() * 4;
        }
        double[] d = distances(p);
        Mds.Result r = Mds.fit(d, n, new Mds.Parameters(300, 1e-3, 2));
        FloatMatrix xy = r.points();
        assertEquals(n, xy.rows());
        assertEquals(2, xy.cols());
        assertTrue(r.stress1() < 1e-3, "stress-1 " + r.stress1());
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double got = Math.hypot(xy.get(i, 0) - xy.get(j, 0), xy.get(i, 1) - xy.get(j, 1));
                worst = Math.max(worst, Math.abs(got - d[i * n + j]));
            }
        }
        assertTrue(worst < 1e-2, "largest distance error " + worst);
    }

    @Test
    void smacofImprovesOnTheClassicalStartForNonEuclideanInput() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 80;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.2 + rng.nextDouble();
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        double[] copy = d.clone();
        Mds.Result r = Mds.fit(d, n, new Mds.Parameters(300, 1e-3, 1));
        assertTrue(r.stress() < r.classicalStress(), r.stress() + " vs " + r.classicalStress());
        assertArrayEquals(copy, d, 0.0, "input must not change");
        Mds.Result again = Mds.fit(d, n, new Mds.Parameters(300, 1e-3, 3));
        assertArrayEquals(r.points().data(), again.points().data(), 0f, "deterministic whatever the threads");
    }

    @Test
    void identicalPointsDoNotBreakIt() {
        Mds.Result r = Mds.fit(new double[9], 3, Mds.Parameters.defaults());
        for (float v : r.points().data()) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(0.0, r.stress(), 1e-12);
        // A layer whose neurons are all dead leaves nothing to project.
        assertEquals(0, Mds.fit(new double[0], 0, Mds.Parameters.defaults()).points().rows());
        assertEquals(1, Mds.fit(new double[1], 1, Mds.Parameters.defaults()).points().rows());
    }
}
