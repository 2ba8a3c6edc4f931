package org.hiddenactivity.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpriteSheetTest {
    @TempDir
    Path tmp;

    @Test
    void tilesGoRowByRowFromTheTopLeft() {
        // 7 grey images of 2 x 3 (h x w); pixel value of image i at (y, x) = (10 i + 3 y + x) / 255
        int n = 7;
        FloatMatrix images = FloatMatrix.zeros(n, 6);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    images.set(i, y * 3 + x, (10 * i + 3 * y + x) / 255f);
                }
            }
        }
        Path png = tmp.resolve("sprite.png");
        SpriteSheet.Layout l = SpriteSheet.write(png, images, 1, 2, 3);
        assertEquals(3, l.columns());
        assertEquals(3, l.rows());
        try (Mat m = opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_UNCHANGED)) {
            assertEquals(1, m.channels());
            assertEquals(9, m.cols());
            assertEquals(6, m.rows());
            for (int i = 0; i < n; i++) {
                int ox = (i % 3) * 3;
                int oy = (i / 3) * 2;
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 3; x++) {
                        BytePointer p = m.ptr(oy + y, ox + x);
                        assertEquals(10 * i + 3 * y + x, p.get() & 0xFF, "image " + i + " (" + y + ", " + x + ")");
                    }
                }
            }
        }
    }

    @Test
    void colourImagesKeepTheirChannels() {
        // one 1 x 1 image, CHW: red 1, green 0.5, blue 0
        FloatMatrix images = new FloatMatrix(1, 3, new float[] {1f, 0.5f, 0f});
        Path png = tmp.resolve("rgb.png");
        SpriteSheet.write(png, images, 3, 1, 1);
        try (Mat m = opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_UNCHANGED)) {
            BytePointer p = m.ptr(0, 0);
            assertEquals(0, p.get(0) & 0xFF, "blue");
            assertEquals(128, p.get(1) & 0xFF, "green");
            assertEquals(255, p.get(2) & 0xFF, "red");
        }
    }

    @Test
    void largeSetsShrinkTheTilesToTheProjectorLimit() {
        SpriteSheet.Layout l = SpriteSheet.layout(100_000, 32, 32);
        assertEquals(317, l.columns());
        assertEquals(true, l.width() <= SpriteSheet.MAX_SIDE && l.height() <= SpriteSheet.MAX_SIDE);
        assertEquals(25, l.tileWidth());
    }

    /**
     * TensorBoard's projector reads a sprite as a square grid: tiles per row = sprite width / single_image_dim[0],
     * image i at column i mod that, row i / that, and as many rows as columns. Read back from the PNG, for odd counts.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, 500, 2000})
    void theProjectorsSquareIndexingFindsEveryImage(int n) {
        int h = 3;
        int w = 2;
        FloatMatrix images = FloatMatrix.zeros(n, h * w);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h * w; k++) {
                images.set(i, k, (1 + i % 251) / 255f);
            }
        }
        Path png = tmp.resolve("sprite" + n + ".png");
        SpriteSheet.Layout l = SpriteSheet.write(png, images, 1, h, w);
        try (Mat m = opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_UNCHANGED)) {
            int perRow = m.cols() / l.tileWidth();
            int side = (int) Math.ceil(Math.sqrt(n));
            assertEquals(side, perRow, "tiles per row");
            assertEquals(perRow * l.tileWidth(), m.cols(), "whole tiles across");
            assertEquals(perRow * l.tileHeight(), m.rows(), "square grid: as many rows of tiles as columns");
            for (int i = 0; i < n; i++) {
                int x = (i % perRow) * l.tileWidth() + l.tileWidth() - 1;
                int y = (i / perRow) * l.tileHeight() + l.tileHeight() - 1;
                assertEquals(1 + i % 251, m.ptr(y, x).get() & 0xFF, "image " + i);
            }
            for (int i = n; i < perRow * perRow; i++) {
                int x = (i % perRow) * l.tileWidth();
                int y = (i / perRow) * l.tileHeight();
                assertEquals(0, m.ptr(y, x).get() & 0xFF, "padding tile " + i);
            }
        }
    }
}
