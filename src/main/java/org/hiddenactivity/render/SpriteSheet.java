package org.hiddenactivity.render;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * The input images of the analysed observations tiled into one PNG, row by row from the top left (observation i
 * at column i mod columns, row i / columns), as the Embedding Projector and the report's explorer read it. The grid
 * is square (as many rows as columns, the last ones padded black): the projector derives the tiles per row from the
 * sprite's width and expects a square sprite. Grey images stay one channel; colour images are written as RGB.
 */
public final class SpriteSheet {
    /** The Embedding Projector's limit on a sprite's side. */
    public static final int MAX_SIDE = 8192;

    /**
     * Where the tiles are.
     *
     * @param columns tiles per row
     * @param rows    rows of tiles
     * @param tileWidth  pixels per tile, across (the image width, or less when shrunk to fit MAX_SIDE)
     * @param tileHeight pixels per tile, down
     */
    public record Layout(int count, int columns, int rows, int tileWidth, int tileHeight) {
        public int width() { return columns * tileWidth; }

        public int height() { return rows * tileHeight; }
    }

    private SpriteSheet() {}

    /**
     * The grid for {@code count} images of width x height: ceil(sqrt(count)) columns and as many rows (square, padded),
     * tiles shrunk to fit 8192 px.
     */
    public static Layout layout(int count, int width, int height) {
        if (count < 1 || width < 1 || height < 1) {
            throw new HavException("sprite sheet", count + " images of " + width + " x " + height,
                    "pass at least one image with a positive size");
        }
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = columns;
        double shrink = Math.min(1.0, Math.min((double) MAX_SIDE / (columns * width), (double) MAX_SIDE / (rows * height)));
        int tw = Math.max(1, (int) Math.floor(width * shrink));
        int th = Math.max(1, (int) Math.floor(height * shrink));
        return new Layout(count, columns, rows, tw, th);
    }

    /**
     * Writes the sprite of {@code images} (one row per image: channels x height x width values in [0, 1],
     * channel-major) to {@code png} atomically, and returns its layout.
     */
    public static Layout write(Path png, FloatMatrix images, int channels, int height, int width) {
        if ((long) channels * height * width != images.cols() || (channels != 1 && channels != 3)) {
            throw new HavException("sprite sheet", "images of " + images.cols() + " values as " + channels + " x "
                    + height + " x " + width, "pass 1- or 3-channel images in CHW order");
        }
        int n = images.rows();
        Layout l = layout(n, width, height);
        int fullW = l.columns() * width;
        int fullH = l.rows() * height;
        byte[] px = new byte[fullW * fullH * channels];
        float[] data = images.data();
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            int ox = (i % l.columns()) * width;
            int oy = (i / l.columns()) * height;
            int base = i * images.cols();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int out = ((oy + y) * fullW + ox + x) * channels;
                    for (int c = 0; c < channels; c++) {
                        // OpenCV stores colour as BGR: channel c (R, G, B) goes to byte 2 - c.
                        int dst = channels == 3 ? out + 2 - c : out;
                        float v = data[base + c * plane + y * width + x];
                        px[dst] = (byte) Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                    }
                }
            }
        }
        try (Mat full = new Mat(fullH, fullW, channels == 3 ? CV_8UC3 : CV_8UC1)) {
            full.data().put(px);
            if (l.width() == fullW && l.height() == fullH) {
                encode(full, png);
            } else {
                try (Mat small = new Mat(); Size size = new Size(l.width(), l.height())) {
                    opencv_imgproc.resize(full, small, size, 0, 0, INTER_AREA);
                    encode(small, png);
                }
            }
        }
        return l;
    }

    private static void encode(Mat m, Path png) {
        try (BytePointer buf = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(".png", m, buf)) {
                throw new HavException("sprite sheet", "OpenCV could not encode a PNG", "report this as a bug",
                        HavException.EXIT_RUNTIME, null);
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            AtomicFiles.writeBytes(png, bytes);
        }
    }
}
