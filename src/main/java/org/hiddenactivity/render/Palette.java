package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/** Colours of the figures: classes, the depth ramp of trails, and a sequential map for importances. */
public final class Palette {
    /**
     * Ten class colours chosen by measurement (benchmarks/palette/: search.py and README.md): every pair at least
     * 10 CIEDE2000 apart under simulated protan, deutan and tritan vision (Machado et al. 2009, severity 1) and at
     * least 15 apart as the trail figures render them on their dark background, each at least 25 from white for the
     * scatter plots. Past ten classes the colours repeat; the explorer and the legends name the class, and the
     * cycle's second round is drawn with the same hue, so classes 0 and 10 are told apart by name, not colour.
     */
    public static final String CLASS_PALETTE_NAME = "hav measured palette (benchmarks/palette, 2026-12-05)";
    private static final Rgb[] CLASSES = {
        new Rgb(0x22, 0xBB, 0x00), // green
        new Rgb(0xFF, 0x99, 0x88), // salmon
        new Rgb(0xDD, 0x99, 0xFF), // lilac
        new Rgb(0x99, 0x66, 0x00), // brown
        new Rgb(0x99, 0x99, 0xAA), // blue grey
        new Rgb(0x11, 0x88, 0x66), // teal
        new Rgb(0xFF, 0x00, 0x88), // pink
        new Rgb(0xFF, 0xEE, 0x55), // yellow
        new Rgb(0x22, 0xFF, 0xDD), // cyan
        new Rgb(0x11, 0x66, 0xEE), // blue
    };
    /** The sequential map for importances: matplotlib's viridis (perceptually uniform, colour-blind safe). */
    public static final String SEQUENTIAL_MAP_NAME = "viridis (OpenCV COLORMAP_VIRIDIS)";
    private static volatile Rgb[] viridis;

    private Palette() {}

    /** An sRGB colour, each channel 0..255. */
    public record Rgb(int r, int g, int b) {
        public Rgb {
            if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
                throw new IllegalArgumentException("channels must be 0..255: " + r + ", " + g + ", " + b);
            }
        }

        /** This colour moved a fraction {@code t} (clamped to [0, 1]) towards {@code other}. */
        public Rgb mix(Rgb other, double t) {
            double u = Math.max(0, Math.min(1, t));
            return new Rgb((int) Math.round(r + u * (other.r - r)), (int) Math.round(g + u * (other.g - g)),
                    (int) Math.round(b + u * (other.b - b)));
        }

        /** Each channel times {@code f}, clamped to 0..255. */
        public Rgb scaled(double f) {
            return new Rgb(clamp(r * f), clamp(g * f), clamp(b * f));
        }

        private static int clamp(double v) {
            return (int) Math.round(Math.max(0, Math.min(255, v)));
        }
    }

    public static final Rgb WHITE = new Rgb(255, 255, 255);
    public static final Rgb BLACK = new Rgb(0, 0, 0);

    /** Colour of class {@code c} (c >= 0; cycles after 10). */
    public static Rgb classColour(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + c);
        }
        return CLASSES[c % CLASSES.length];
    }

    /** Marker shapes, one per group of {@link #classCount()} classes: classes sharing a colour differ in shape. */
    public static final List<String> MARKERS = List.of("disc", "square", "triangle", "diamond");

    /** The marker shape of class {@code c}: disc for the first 10 classes, then square, triangle, diamond (cycling). */
    public static String classMarker(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + c);
        }
        return MARKERS.get((c / CLASSES.length) % MARKERS.size());
    }

    public static int classCount() {
        return CLASSES.length;
    }

    /**
     * The brightness ramp of trails: depth {@code t} = 0 (first layer / epoch) gives the class colour at 30 %
     * brightness, t = 1 (last) the class colour lightened 25 % towards white, linear in between.
     */
    public static Rgb depthRamp(Rgb base, double t) {
        Rgb dark = base.scaled(0.3);
        Rgb bright = base.mix(WHITE, 0.25);
        return dark.mix(bright, t);
    }

    /** Viridis at {@code t} in [0, 1] (clamped; NaN gives the low end). */
    public static Rgb viridis(double t) {
        Rgb[] lut = viridis;
        if (lut == null) {
            lut = viridisTable();
            viridis = lut;
        }
        double u = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        return lut[(int) Math.round(u * 255)];
    }

    /** Reads OpenCV's viridis table by colouring a 0..255 ramp (no hand-copied table). */
    private static Rgb[] viridisTable() {
        Rgb[] out = new Rgb[256];
        try (Mat ramp = new Mat(1, 256, CV_8UC1); Mat coloured = new Mat()) {
            byte[] values = new byte[256];
            for (int i = 0; i < 256; i++) {
                values[i] = (byte) i;
            }
            ramp.data().put(values);
            opencv_imgproc.applyColorMap(ramp, coloured, opencv_imgproc.COLORMAP_VIRIDIS);
            byte[] bgr = new byte[256 * 3];
            BytePointer data = coloured.data();
            data.get(bgr);
            for (int i = 0; i < 256; i++) {
                out[i] = new Rgb(bgr[3 * i + 2] & 0xFF, bgr[3 * i + 1] & 0xFF, bgr[3 * i] & 0xFF);
            }
        }
        return out;
    }
}
