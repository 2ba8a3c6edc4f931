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

    public Normalisation {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new HavException("normalisation from " + origin, "standard deviation " + s + " is not positive",
                        "fix the manifest's normalisation.std");
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
