package org.hiddenactivity.report;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals for the report's findings: resample the units (observations or neurons) with
 * replacement, recompute the statistic, take the 2.5 and 97.5 percentiles. Paired statistics resample the same
 * units on both sides. Deterministic for a seed. Hand-written: commons-math has no bootstrap, and it is a loop.
 */
final class Bootstrap {
    /** Resamples per interval. */
    static final int RESAMPLES = 1000;
    /** Coverage of the intervals. */
    static final double LEVEL = 0.95;

    /** The resamples and the level, as provenance records them ("settings"."bootstrap"). */
    static java.util.Map<String, Object> settings() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("resamples", RESAMPLES);
        m.put("level", LEVEL);
        m.put("interval", "percentile");
        return m;
    }

    /**
     * An estimate on the full sample and its percentile interval.
     *
     * @param units what was resampled ("observations", "neurons")
     * @param count how many of them
     */
    record Interval(double estimate, double low, double high, int resamples, String units, int count) {
        /** True when the interval lies entirely on one side of zero: the change exceeds its uncertainty. */
        boolean excludesZero() {
            return low > 0 || high < 0;
        }

        /** True when the interval holds its estimate (a percentile interval of a skewed statistic may not). */
        boolean holdsEstimate() {
            return low <= estimate && estimate <= high;
        }

        String describe() {
            return describe(Scale.PLAIN);
        }

        /** "95% interval +87.85 to +90.70 points": the bounds in the unit the sentence gives the estimate in. */
        String describe(Scale scale) {
            return "95% interval " + scale.signedNumber(low) + " to " + scale.signed(high);
        }
    }

    /**
     * How a statistic is written: multiplied by {@code factor}, with {@code decimals}, followed by {@code unit}
     * (e.g. a change of accuracy 0.893 as "+89.30 points"); estimate and interval always share one.
     */
    record Scale(double factor, int decimals, String unit) {
        static final Scale PLAIN = new Scale(1, 3, "");
        static final Scale POINTS = new Scale(100, 1, " points");
        static final Scale ACCURACY_POINTS = new Scale(100, 2, " points");

        String signed(double v) {
            return signedNumber(v) + unit;
        }

        /** The signed number without its unit (the first bound of an interval). */
        String signedNumber(double v) {
            return String.format(java.util.Locale.ROOT, "%+." + decimals + "f", factor * v);
        }
    }

    private Bootstrap() {}

    /** Mean of {@code values}. */
    static Interval mean(double[] values, String units, long seed) {
        return resample(values.length, units, seed, idx -> {
            double s = 0;
            for (int i : idx) {
                s += values[i];
            }
            return s / idx.length;
        });
    }

    /** Mean of the paired differences {@code after[i] - before[i]}. */
    static Interval meanDifference(double[] before, double[] after, String units, long seed) {
        if (before.length != after.length) {
            throw new IllegalArgumentException(before.length + " vs " + after.length + " paired values");
        }
        double[] d = new double[before.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return mean(d, units, seed);
    }

    /** Difference of the means of two independent groups, {@code mean(b) - mean(a)}, each resampled on its own. */
    static Interval differenceOfMeans(double[] a, double[] b, String units, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            stats[r] = resampledMean(b, random) - resampledMean(a, random);
        }
        return interval(plainMean(b) - plainMean(a), stats, units, a.length + b.length);
    }

    /**
     * Any statistic of {@code n} units: {@code statistic} gets an index array (the full sample 0..n-1 for the
     * estimate, then each resample) and returns the statistic on those units.
     */
    static Interval resample(int n, String units, long seed, ToDoubleFunction<int[]> statistic) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double estimate = statistic.applyAsDouble(all);
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[RESAMPLES];
        int[] idx = new int[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                idx[i] = random.nextInt(n);
            }
            stats[r] = statistic.applyAsDouble(idx);
        }
        return interval(estimate, stats, units, n);
    }

    private static Interval interval(double estimate, double[] stats, String units, int count) {
        double[] finite = Arrays.stream(stats).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (finite.length == 0) {
            return new Interval(estimate, Double.NaN, Double.NaN, RESAMPLES, units, count);
        }
        double alpha = (1 - LEVEL) / 2;
        return new Interval(estimate, quantile(finite, alpha), quantile(finite, 1 - alpha), RESAMPLES, units, count);
    }

    /** Linear interpolation between order statistics (numpy's default "linear" method). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double resampledMean(double[] v, SplittableRandom random) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[random.nextInt(v.length)];
        }
        return s / v.length;
    }

    private static double plainMean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
