package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.HavException;

/**
 * A rendered figure: an 8-bit BGR OpenCV image. Close it (try-with-resources) to free the native memory;
 * closing twice is harmless.
 */
public final class Figure implements AutoCloseable {
    /** Largest side accepted, in pixels (8192 x 8192 x 3 bytes = 192 MiB). */
    public static final int MAX_SIDE = 8192;
    /** Default side of the square figures, in pixels. */
    public static final int DEFAULT_SIZE = 2048;

    private Mat mat;

    Figure(Mat mat) {
        this.mat = mat;
    }

    /** A blank figure filled with {@code background}. */
    static Figure blank(int width, int height, Palette.Rgb background) {
        checkSize(width, height);
        try (Scalar s = new Scalar(background.b(), background.g(), background.r(), 0)) {
            return new Figure(new Mat(height, width, CV_8UC3, s));
        }
    }

    static void checkSize(int width, int height) {
        if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new HavException("figure", "size " + width + " x " + height + " px is outside 16.." + MAX_SIDE,
                    "choose a size between 16 and " + MAX_SIDE + " pixels");
        }
    }

    Mat mat() {
        if (mat == null) {
            throw new IllegalStateException("figure already closed");
        }
        return mat;
    }

    public int width() {
        return mat().cols();
    }

    public int height() {
        return mat().rows();
    }

    /** The colour at pixel (x, y), for checks and tests. */
    public Palette.Rgb pixel(int x, int y) {
        if (x < 0 || y < 0 || x >= width() || y >= height()) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width() + " x " + height());
        }
        BytePointer data = mat().ptr(y, x);
        return new Palette.Rgb(data.get(2) & 0xFF, data.get(1) & 0xFF, data.get(0) & 0xFF);
    }

    /** All pixels as packed 0xRRGGBB ints, row-major. */
    public int[] pixels() {
        int w = width();
        int h = height();
        byte[] bgr = new byte[w * h * 3];
        try (Mat continuous = mat().isContinuous() ? null : mat().clone()) {
            Mat m = continuous == null ? mat() : continuous;
            m.data().get(bgr);
        }
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (bgr[3 * i + 2] & 0xFF) << 16 | (bgr[3 * i + 1] & 0xFF) << 8 | (bgr[3 * i] & 0xFF);
        }
        return out;
    }

    /** PNG bytes (OpenCV imencode). */
    public byte[] encodePng() {
        try (BytePointer buf = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".png", mat(), buf)) {
                throw new HavException("figure", "OpenCV could not encode a PNG", "report this as a bug",
                        HavException.EXIT_RUNTIME, null);
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    /** Writes the PNG atomically (temporary name, then rename). */
    public void writePng(Path target) {
        AtomicFiles.writeBytes(target, encodePng());
    }

    /** An independent copy. */
    public Figure copy() {
        return new Figure(mat().clone());
    }

    @Override
    public void close() {
        if (mat != null) {
            mat.close();
            mat = null;
        }
    }
}
