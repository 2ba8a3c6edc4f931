package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Small copies of figures (area-averaged, so thin lines fade instead of aliasing). */
public final class Thumbnails {
    private Thumbnails() {}

    /** A copy of {@code figure} whose larger side is {@code maxSide} (never enlarged); the input stays open. */
    public static Figure of(Figure figure, int maxSide) {
        if (maxSide < 16) {
            throw new IllegalArgumentException("maxSide must be >= 16, got " + maxSide);
        }
        double scale = Math.min(1.0, (double) maxSide / Math.max(figure.width(), figure.height()));
        int w = Math.max(1, (int) Math.round(figure.width() * scale));
        int h = Math.max(1, (int) Math.round(figure.height() * scale));
        if (scale == 1.0) {
            return figure.copy();
        }
        Mat out = new Mat();
        try (Size size = new Size(w, h)) {
            opencv_imgproc.resize(figure.mat(), out, size, 0, 0, INTER_AREA);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return new Figure(out);
    }
}
