package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Drawing on a figure with reused native Points and Scalars (one per colour), anti-aliased, with fractional
 * coordinates (SHIFT bits) so markers sit where the data says. Text: Hershey simplex, scaled to the image.
 */
final class Draw implements AutoCloseable {
    /** Fixed-point bits of coordinates passed to OpenCV (its "shift" argument). */
    private static final int SHIFT = 4;
    private static final double ONE = 1 << SHIFT;

    private final Mat mat;
    private final Point a = new Point();
    private final Point b = new Point();
    private final Map<Palette.Rgb, Scalar> scalars = new HashMap<>();
    /** Font scale of body text: Hershey simplex at scale 1 is about 22 px tall. */
    final double fontScale;

    Draw(Figure figure) {
        this.mat = figure.mat();
        this.fontScale = Math.max(0.35, Math.min(mat.cols(), mat.rows()) / 1700.0);
    }

    private Scalar scalar(Palette.Rgb c) {
        return scalars.computeIfAbsent(c, k -> new Scalar(k.b(), k.g(), k.r(), 0));
    }

    private Point at(Point p, double x, double y) {
        return p.x((int) Math.round(x * ONE)).y((int) Math.round(y * ONE));
    }

    /** Pixel thickness scaled to the image (1 at 1024 px). */
    int thick(double atOneK) {
        return Math.max(1, (int) Math.round(atOneK * Math.min(mat.cols(), mat.rows()) / 1024.0));
    }

    void disc(double x, double y, double radius, Palette.Rgb colour) {
        opencv_imgproc.circle(mat, at(a, x, y), (int) Math.round(radius * ONE), scalar(colour), -1, LINE_AA, SHIFT);
    }

    void ring(double x, double y, double radius, Palette.Rgb colour, int thickness) {
        opencv_imgproc.circle(mat, at(a, x, y), (int) Math.round(radius * ONE), scalar(colour), thickness, LINE_AA,
                SHIFT);
    }

    void line(double x0, double y0, double x1, double y1, Palette.Rgb colour, int thickness) {
        opencv_imgproc.line(mat, at(a, x0, y0), at(b, x1, y1), scalar(colour), thickness, LINE_AA, SHIFT);
    }

    /** An X of half-width {@code r}. */
    void cross(double x, double y, double r, Palette.Rgb colour, int thickness) {
        line(x - r, y - r, x + r, y + r, colour, thickness);
        line(x - r, y + r, x + r, y - r, colour, thickness);
    }

    /**
     * The marker {@code shape} ({@link Palette#MARKERS}) of radius {@code r} at (x, y): filled with {@code fill}
     * (none when null) and outlined in {@code line} (none when null).
     */
    void marker(String shape, double x, double y, double r, Palette.Rgb fill, Palette.Rgb line, int thickness) {
        if (shape.equals("disc")) {
            if (fill != null) {
                disc(x, y, r, fill);
            }
            if (line != null) {
                ring(x, y, r, line, thickness);
            }
            return;
        }
        double[] xy = switch (shape) {
            case "square" -> new double[] {x - 0.9 * r, y - 0.9 * r, x + 0.9 * r, y - 0.9 * r, x + 0.9 * r, y + 0.9 * r,
                x - 0.9 * r, y + 0.9 * r};
            case "triangle" -> new double[] {x, y - 1.2 * r, x + 1.04 * r, y + 0.6 * r, x - 1.04 * r, y + 0.6 * r};
            case "diamond" -> new double[] {x, y - 1.2 * r, x + 1.2 * r, y, x, y + 1.2 * r, x - 1.2 * r, y};
            default -> throw new IllegalArgumentException("marker " + shape);
        };
        int k = xy.length / 2;
        if (fill != null) {
            try (Point poly = new Point(k)) {
                for (int i = 0; i < k; i++) {
                    poly.position(i).x((int) Math.round(xy[2 * i] * ONE)).y((int) Math.round(xy[2 * i + 1] * ONE));
                }
                poly.position(0);
                opencv_imgproc.fillConvexPoly(mat, poly, k, scalar(fill), LINE_AA, SHIFT);
            }
        }
        if (line != null) {
            for (int i = 0; i < k; i++) {
                int j = (i + 1) % k;
                line(xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1], line, thickness);
            }
        }
    }

    void rect(double x0, double y0, double x1, double y1, Palette.Rgb colour, int thickness) {
        opencv_imgproc.rectangle(mat, at(a, x0, y0), at(b, x1, y1), scalar(colour), thickness, LINE_AA, SHIFT);
    }

    /** Text with its baseline-left corner at (x, y); {@code relSize} multiplies the body size. */
    void text(String s, double x, double y, double relSize, Palette.Rgb colour) {
        double scale = fontScale * relSize;
        int thickness = Math.max(1, (int) Math.round(scale * 1.6));
        a.x((int) Math.round(x)).y((int) Math.round(y));
        opencv_imgproc.putText(mat, s, a, FONT_HERSHEY_SIMPLEX, scale, scalar(colour), thickness, LINE_AA, false);
    }

    /** Width and height in pixels of {@code s} at {@code relSize}. */
    int[] textSize(String s, double relSize) {
        double scale = fontScale * relSize;
        int thickness = Math.max(1, (int) Math.round(scale * 1.6));
        int[] baseline = new int[1];
        try (Size size = opencv_imgproc.getTextSize(s, FONT_HERSHEY_SIMPLEX, scale, thickness, baseline)) {
            return new int[] {size.width(), size.height() + baseline[0]};
        }
    }

    /** Height of a line of body text at {@code relSize}, with spacing. */
    double lineHeight(double relSize) {
        return 34 * fontScale * relSize;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        for (Scalar s : scalars.values()) {
            s.close();
        }
        scalars.clear();
    }
}
