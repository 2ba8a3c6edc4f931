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
}
