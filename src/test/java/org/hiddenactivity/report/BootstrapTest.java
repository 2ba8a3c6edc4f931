package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    @Test
    void percentileIntervalOfAMeanCoversTheTruthAboutNinetyFivePercentOfTheTime() {
        Random r = new Random(1);
        int n = 300;
        int trials = 200;
        int covered = 0;
        double width = 0;
        for (int t = 0; t < trials; t++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2.0 + r.nextGaussian();
            }
            Bootstrap.Interval iv = Bootstrap.mean(v, "observations", t);
            if (iv.low() <= 2.0 && 2.0 <= iv.high()) {
                covered++;
            }
            width += iv.high() - iv.low();
        }
        double coverage = (double) covered / trials;
        assertTrue(coverage > 0.88 && coverage < 0.99, "coverage " + coverage);
        // the normal-theory width 2 x 1.96 / sqrt(n), within 10 %
        double expected = 2 * 1.96 / Math.sqrt(n);
        assertEquals(expected, width / trials, 0.1 * expected);
    }

    @Test
    void pairedDifferenceSeesAShiftThatIsSmallAgainstTheSpreadButNotNoise() {
        Random r = new Random(2);
        int n = 500;
        double[] before = new double[n];
        double[] shifted = new double[n];
        double[] same = new double[n];
        for (int i = 0; i < n; i++) {
            before[i] = r.nextGaussian() * 5;
            // paired: each unit moves by 0.1 +- 0.3, far less than the spread across units (5)
            shifted[i] = before[i] + 0.1 + 0.3 * r.nextGaussian();
            same[i] = before[i] + 0.3 * r.nextGaussian();
        }
        Bootstrap.Interval up = Bootstrap.meanDifference(before, shifted, "observations", 0);
        assertTrue(up.excludesZero() && up.low() > 0, up.toString());
        Bootstrap.Interval none = Bootstrap.meanDifference(before, same, "observations", 0);
        assertFalse(none.excludesZero(), none.toString());
        // unpaired, the same shift is lost in the spread
        Bootstrap.Interval unpaired = Bootstrap.differenceOfMeans(before, shifted, "observations", 0);
        assertFalse(unpaired.excludesZero(), unpaired.toString());
        // deterministic for a seed
        assertEquals(up, Bootstrap.meanDifference(before, shifted, "observations", 0));
        assertEquals(Bootstrap.RESAMPLES, up.resamples());
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(2.5, Bootstrap.quantile(sorted, 0.5), 1e-12);
        assertEquals(4, Bootstrap.quantile(sorted, 1), 1e-12);
    }
}
