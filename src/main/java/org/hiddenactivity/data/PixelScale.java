package org.hiddenactivity.data;

import java.util.Locale;
import org.hiddenactivity.core.HavException;

/**
 * The factor applied to stored pixel values before the model stage sees them (which then applies the
 * normalisation mean/std): 1/255 for 8-bit images, 1 for float arrays, or what {@code --scale} says.
 *
 * @param factor   the multiplier, finite and > 0
 * @param divisor  when the scale is 1/divisor (the defaults, and "--scale 1/255"), the divisor: values are then
 *                 divided, which gives exactly {@code v / 255f} for 8-bit data; 0 otherwise
 * @param text     how it was written ("1/255", "0.5"), for provenance
 * @param explicit true when the user gave it, false for a default
 */
public record PixelScale(double factor, double divisor, String text, boolean explicit) {
    public static final PixelScale BYTE = new PixelScale(1 / 255.0, 255, "1/255", false);
    public static final PixelScale SHORT = new PixelScale(1 / 65535.0, 65535, "1/65535", false);
    public static final PixelScale ONE = new PixelScale(1, 1, "1", false);

    /** Parses {@code --scale}: a number ("0.5", "1e-3") or a fraction ("1/255"). */
    public static PixelScale parse(String text) {
        String t = text.trim();
        String fix = "give a positive number or fraction, e.g. --scale 1/255 (8-bit pixels to [0, 1]) or --scale 1"
                + " (as stored)";
        try {
            int slash = t.indexOf('/');
            if (slash >= 0) {
                double num = Double.parseDouble(t.substring(0, slash).trim());
                double den = Double.parseDouble(t.substring(slash + 1).trim());
                double f = num / den;
                if (!(f > 0) || Double.isInfinite(f)) {
                    throw new HavException("--scale " + text, "must be finite and > 0", fix);
                }
                return new PixelScale(f, num == 1 ? den : 0, t, true);
            }
            double f = Double.parseDouble(t);
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new HavException("--scale " + text, "must be finite and > 0", fix);
            }
            return new PixelScale(f, f == 1 ? 1 : 0, t, true);
        } catch (NumberFormatException e) {
            throw new HavException("--scale " + text, "not a number", fix);
        }
    }

    /** {@code v} scaled, computed in double and rounded once to float. */
    public float apply(double v) {
        return (float) (divisor != 0 ? v / divisor : v * factor);
    }

    /** The scaled value of every byte 0..255. */
    static float[] table(PixelScale scale) {
        float[] t = new float[256];
        for (int v = 0; v < 256; v++) {
            t[v] = scale.apply(v);
        }
        return t;
    }

    /** Key text for cache keys: exact (the double's bits), not rounded. */
    String key() {
        return divisor != 0 ? "/" + Double.toHexString(divisor) : "*" + Double.toHexString(factor);
    }

    @Override
    public String toString() {
        return text + (explicit ? "" : " (default)") + (divisor == 0 ? String.format(Locale.ROOT, " = %.6g", factor) : "");
    }
}
