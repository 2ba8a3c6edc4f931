package org.hiddenactivity.model;

import java.util.Arrays;
import org.hiddenactivity.core.HavException;

/**
 * Per-channel input normalisation x' = (x - mean[c]) / std[c], applied to pixel values in [0, 1] before they enter
 * the network. One value applies to every channel.
 *
 * @param mean   per-channel means (length 1 or C); empty for none
 * @param std    per-channel standard deviations, same length as mean
 * @param origin where it came from, for messages ("manifest.json", "none: no manifest")
 */
public record Normalisation(float[] mean, float[] std, String origin) {
    /** No normalisation (pixels enter as [0, 1]). */
    public static Normalisation none(String why) {
        return new Normalisation(new float[0], new float[0], "none (" + why + ")");
    }

    /** Checked mean and std from {@code origin} (a manifest, the --mean/--std options): clear errors, no exceptions. */
    public static Normalisation of(float[] mean, float[] std, String origin) {
        if (mean.length != std.length && mean.length != 1 && std.length != 1) {
            throw new HavException(origin, "normalisation has " + mean.length + " means but " + std.length
                    + " standard deviations", "give as many of each (one value, or one per channel)");
        }
        int n = Math.max(mean.length, std.length);
        float[] m = mean.length == n ? mean.clone() : filled(n, mean[0]);
        float[] s = std.length == n ? std.clone() : filled(n, std[0]);
        return new Normalisation(m, s, origin);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public Normalisation {
        if (mean.length != std.length) {
            throw new HavException(origin, "normalisation has " + mean.length + " means but " + std.length
                    + " standard deviations", "give as many of each");
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new HavException(origin, "normalisation mean " + m + " is not finite",
                        "give finite means");
            }
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new HavException(origin, "normalisation standard deviation " + s + " is not positive",
                        "give positive, finite standard deviations");
            }
        }
    }

    public boolean isNone() {
        return mean.length == 0;
    }

    /** Checks that the values fit a dataset with {@code channels} channels. */
    public void checkChannels(int channels, String subject) {
        if (!isNone() && mean.length != 1 && mean.length != channels) {
            throw new HavException(subject, "normalisation has " + mean.length + " values per statistic but the data"
                    + " has " + channels + " channels", "give 1 or " + channels + " means and standard deviations");
        }
    }

    /** Normalises one CHW row in place. */
    public void apply(float[] row, int offset, int channels, int pixelsPerChannel) {
        if (isNone()) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float inv = 1f / std[std.length == 1 ? 0 : c];
            int base = offset + c * pixelsPerChannel;
            for (int i = 0; i < pixelsPerChannel; i++) {
                row[base + i] = (row[base + i] - m) * inv;
            }
        }
    }

    /** A stable text form, part of cache keys. */
    public String key() {
        return isNone() ? "none" : "mean=" + Arrays.toString(mean) + ",std=" + Arrays.toString(std);
    }

    @Override
    public String toString() {
        return isNone() ? origin : key() + " from " + origin;
    }
}
