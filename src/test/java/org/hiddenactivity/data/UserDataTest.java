package org.hiddenactivity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Warnings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own data: .npy images with targets, and ImageFolder folders, with the checks on them. */
class UserDataTest {
    @TempDir
    Path dir;

    private static DatasetRequest npy(Path images, Path targets, String names, String layout, String scale, int size) {
        return new DatasetRequest(null, null, null, images, targets, names, layout, scale, size);
    }

    private static String message(Runnable r) {
        HavException e = assertThrows(HavException.class, r::run);
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    /** uint8 images N x H x W x C (value of (i, y, x, c) = 10 i + 3 y + x + 50 c mod 256) as raw bytes. */
    static byte[] nhwc(int n, int h, int w, int c) {
        byte[] out = new byte[n * h * w * c];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[k++] = (byte) (10 * i + 3 * y + x + 50 * ch);
                    }
                }
            }
        }
        return out;
    }

    static int expected(int i, int y, int x, int c) {
        return (10 * i + 3 * y + x + 50 * c) & 0xff;
    }

    private Path targets(String name, int... values) {
        Path p = dir.resolve(name);
        Npy.write(p, values);
        return p;
    }

    // ------------------------------------------------------------------ .npy

    @Test
    void nhwcNchwAndGreyArraysGiveTheSameChwRows() {
        int n = 4;
        int h = 5;
        int w = 6;
        Path y = targets("y.npy", 0, 1, 2, 1);
        Npy.writeRaw(dir.resolve("nhwc.npy"), "|u1", new int[] {n, h, w, 3}, nhwc(n, h, w, 3));
        // the same pixels stored N x C x H x W
        byte[] nchw = new byte[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int yy = 0; yy < h; yy++) {
                    for (int x = 0; x < w; x++) {
                        nchw[((i * 3 + c) * h + yy) * w + x] = (byte) expected(i, yy, x, c);
                    }
                }
            }
        }
        Npy.writeRaw(dir.resolve("nchw.npy"), "|u1", new int[] {n, 3, h, w}, nchw);
        Dataset a = Datasets.load(npy(dir.resolve("nhwc.npy"), y, "cat,dog,bird", null, null, 0));
        Dataset b = Datasets.load(npy(dir.resolve("nchw.npy"), y, "cat,dog,bird", null, null, 0));
        assertEquals(3, a.channels());
        assertEquals(5, a.height());
        assertEquals(6, a.width());
        assertArrayEquals(a.images().data(), b.images().data());
        // CHW order, scaled by 1/255 exactly as v / 255f
        assertEquals(expected(2, 4, 5, 1) / 255f, a.images().get(2, 1 * h * w + 4 * w + 5), 0f);
        assertEquals(List.of("cat", "dog", "bird"), a.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 1}, a.labels());
        assertEquals(Split.ALL, a.split());
        assertEquals("nhwc.npy", a.name());
        assertTrue(a.source().endsWith("nhwc.npy"));
        assertEquals("npy", a.origin().format());
        assertNotEquals(a.sha256(), b.sha256(), "different bytes read");
        assertNotEquals(a.key(), b.key());

        Npy.writeRaw(dir.resolve("grey.npy"), "|u1", new int[] {n, h, w}, nhwc(n, h, w, 1));
        Dataset g = Datasets.load(npy(dir.resolve("grey.npy"), y, null, null, null, 2));
        assertEquals(1, g.channels());
        assertEquals(2, g.size());
        assertEquals(List.of("0", "1", "2"), g.classNames());
        assertEquals(expected(1, 3, 2, 0) / 255f, g.images().get(1, 3 * w + 2), 0f);
    }

    @Test
    void ambiguousLayoutsNeedTheOptionAndTheOptionDecides() {
        Path y = targets("y.npy", 0, 1);
        Npy.writeRaw(dir.resolve("amb.npy"), "|u1", new int[] {2, 3, 3, 3}, nhwc(2, 3, 3, 3));
        String m = message(() -> Datasets.load(npy(dir.resolve("amb.npy"), y, null, null, null, 0)));
        assertTrue(m.contains("amb.npy") && m.contains("--images-layout nchw or --images-layout nhwc"), m);
        Dataset hwc = Datasets.load(npy(dir.resolve("amb.npy"), y, null, "nhwc", null, 0));
        Dataset chw = Datasets.load(npy(dir.resolve("amb.npy"), y, null, "NCHW", null, 0));
        assertEquals(expected(1, 2, 0, 1) / 255f, hwc.images().get(1, 9 + 6), 0f);
        assertNotEquals(hwc.key(), chw.key(), "layout is part of the identity");
        assertEquals(hwc.sha256(), chw.sha256(), "same bytes read");
        Npy.writeRaw(dir.resolve("none.npy"), "|u1", new int[] {2, 5, 5, 5}, new byte[250]);
        m = message(() -> Datasets.load(npy(dir.resolve("none.npy"), y, null, null, null, 0)));
        assertTrue(m.contains("no channel axis of 1, 3 or 4"), m);
        m = message(() -> Datasets.load(npy(dir.resolve("none.npy"), y, null, "hwcn", null, 0)));
        assertTrue(m.contains("unknown layout"), m);
        Npy.write(dir.resolve("flat.npy"), new org.hiddenactivity.core.FloatMatrix(2, 4, new float[8]));
        m = message(() -> Datasets.load(npy(dir.resolve("flat.npy"), y, null, null, null, 0)));
        assertTrue(m.contains("X.reshape(N, H, W)"), m);
    }

    @Test
    void floatImagesAreTakenAsTheyAreAndAnOutOfRangeIsSaidOnce() {
        Path y = targets("y.npy", 0, 1);
        ByteBuffer b = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            b.putFloat(i * 30f);
        }
        Npy.writeRaw(dir.resolve("f.npy"), "<f4", new int[] {2, 2, 2}, b.array());
        Warnings.resetOnce();
        try (Warnings.Recorder r = Warnings.record()) {
            Dataset d = Datasets.load(npy(dir.resolve("f.npy"), y, null, null, null, 0));
            assertEquals(210f, d.images().get(1, 3), 0f);
            Datasets.load(npy(dir.resolve("f.npy"), y, null, null, null, 0));
            assertEquals(1, r.warnings().stream().filter(w -> w.contains("outside [0, 1]")).count(), r.warnings()
                    .toString());
            assertTrue(r.warned("--scale 1/255"));
        }
        try (Warnings.Recorder r = Warnings.record()) {
            Warnings.resetOnce();
            Dataset d = Datasets.load(npy(dir.resolve("f.npy"), y, null, null, "1/255", 0));
            assertEquals(210 / 255f, d.images().get(1, 3), 0f);
            assertEquals("1/255", d.origin().scale().text());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            Dataset half = Datasets.load(npy(dir.resolve("f.npy"), y, null, null, "0.5", 0));
            assertEquals(105f, half.images().get(1, 3), 0f);
            assertNotEquals(d.key(), half.key(), "the scale is part of the identity");
        }
        String m = message(() -> Datasets.load(npy(dir.resolve("f.npy"), y, null, null, "0", 0)));
        assertTrue(m.contains("--scale 0"), m);
        m = message(() -> Datasets.load(npy(dir.resolve("f.npy"), y, null, null, "x", 0)));
        assertTrue(m.contains("not a number"), m);
        // NaN pixels are refused with the image named
        b.putFloat(4 * 5, Float.NaN);
        Npy.writeRaw(dir.resolve("nan.npy"), "<f4", new int[] {2, 2, 2}, b.array());
        m = message(() -> Datasets.load(npy(dir.resolve("nan.npy"), y, null, null, null, 0)));
        assertTrue(m.contains("image 1 has a NaN value"), m);
        // 16-bit images have no default scale
        Npy.writeRaw(dir.resolve("u2.npy"), "<u2", new int[] {2, 2, 2}, new byte[16]);
        m = message(() -> Datasets.load(npy(dir.resolve("u2.npy"), y, null, null, null, 0)));
        assertTrue(m.contains("--scale 1/65535"), m);
    }

    @Test
    void targetsAreCheckedAgainstImagesAndClassNames() throws IOException {
        Npy.writeRaw(dir.resolve("x.npy"), "|u1", new int[] {4, 2, 2}, new byte[16]);
        Path x = dir.resolve("x.npy");
        String m = message(() -> Datasets.load(npy(x, targets("short.npy", 0, 1, 1), null, null, null, 0)));
        assertTrue(m.contains("short.npy") && m.contains("3 targets for 4 images"), m);
        m = message(() -> Datasets.load(npy(x, targets("t.npy", 0, 1, 3, 1), "a,b,c", null, null, 0)));
        assertTrue(m.contains("t.npy") && m.contains("target 2 is 3, not a class index 0..2"), m);
        m = message(() -> Datasets.load(npy(x, targets("few.npy", 0, 1, 0, 1), "a,b,c", null, null, 0)));
        assertTrue(m.contains("3 class names given but the targets use classes 0..1"), m);
        m = message(() -> Datasets.load(npy(x, targets("neg.npy", 0, -1, 0, 1), null, null, null, 0)));
        assertTrue(m.contains("neg.npy") && m.contains("label 1 is -1, negative"), m);
        m = message(() -> Datasets.load(npy(x, targets("one.npy", 0, 0, 0, 0), null, null, null, 0)));
        assertTrue(m.contains("one class only"), m);
        m = message(() -> Datasets.load(npy(x, targets("ids.npy", 0, 1, 123456, 1), null, null, null, 0)));
        assertTrue(m.contains("123457 classes"), m);
        m = message(() -> Datasets.load(npy(x, targets("dup.npy", 0, 1, 0, 1), "a,a", null, null, 0)));
        assertTrue(m.contains("'a' appears twice"), m);
        m = message(() -> Datasets.load(npy(x, null, null, null, null, 0)));
        assertTrue(m.contains("--targets"), m);
        // names from a file, one per line, blank lines ignored
        Path names = dir.resolve("names.txt");
        Files.writeString(names, "left\n\nright  \n", StandardCharsets.UTF_8);
        Dataset d = Datasets.load(npy(x, targets("ok.npy", 0, 1, 0, 1), names.toString(), null, null, 0));
        assertEquals(List.of("left", "right"), d.classNames());
    }

    @Test
    void theFirstRowsLeavingClassesOutIsSaid() {
        Npy.writeRaw(dir.resolve("x.npy"), "|u1", new int[] {6, 2, 2}, new byte[24]);
        try (Warnings.Recorder r = Warnings.record()) {
            Dataset d = Datasets.load(npy(dir.resolve("x.npy"), targets("y.npy", 0, 0, 0, 1, 1, 2), "a,b,c", null, null,
                    3));
            assertEquals(3, d.size());
            assertTrue(r.warned("have no observations of 2 classes: b, c; raise --size (up to 6)"),
                    r.warnings().toString());
        }
    }

    @Test
    void optionCombinationsAreChecked() {
        Path x = dir.resolve("x.npy");
        String m = message(() -> Datasets.load(new DatasetRequest("mnist", null, null, x, null, null, null, null, 0)));
        assertTrue(m.contains("--dataset mnist and --images") && m.contains("both given"), m);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, null, x, null, null, null, 0)));
        assertTrue(m.contains("--targets") && m.contains("needs --images"), m);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, null, null, null, null, null, 0)));
        assertTrue(m.contains("no dataset given"), m);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, dir, x, null, null, null, null, 0)));
        assertTrue(m.contains("--data-dir"), m);
        m = message(() -> Datasets.load(new DatasetRequest(null, Split.TRAIN, null, x, null, null, null, null, 0)));
        assertTrue(m.contains("has no split"), m);
        m = message(() -> Datasets.load("mnsit", Split.TEST, null, 1));
        assertTrue(m.contains("did you mean mnist?"), m);
        m = message(() -> Datasets.load("fashion", Split.TEST, null, 1));
        assertTrue(m.contains("did you mean fashion-mnist?"), m);
        m = message(() -> Datasets.load("cifar100", Split.TEST, null, 1));
        assertTrue(m.contains("did you mean cifar10?"), m);
        m = message(() -> Datasets.load("imagenet", Split.TEST, null, 1));
        assertTrue(!m.contains("did you mean") && m.contains("use one of mnist"), m);
    }

    // ------------------------------------------------------------------ ImageFolder

    /** Encodes a Mat of the given type and pixel bytes with OpenCV (png, jpg, bmp by the extension). */
    static void image(Path file, int h, int w, int type, byte[] pixels) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(h, w, type); BytePointer out = new BytePointer()) {
            m.data().put(pixels);
            String ext = file.getFileName().toString().substring(file.getFileName().toString().lastIndexOf('.'));
            assertTrue(opencv_imgcodecs.imencode(ext, m, out));
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            Files.write(file, bytes);
        }
    }

    /** A solid BGR image. */
    static byte[] bgr(int h, int w, int b, int g, int r) {
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            px[3 * i] = (byte) b;
            px[3 * i + 1] = (byte) g;
            px[3 * i + 2] = (byte) r;
        }
        return px;
    }

    @Test
    void imageFolderSortsClassesAndFilesAsTorchvisionAndConvertsBgrToRgb() throws IOException {
        Path root = dir.resolve("flowers");
        // written out of order; classes sort as b_tulip < rose (lower-case r) < Zinnia? Python sorts by code point:
        // "Zinnia" (Z = 90) < "b_tulip" (b = 98) < "rose" (r = 114)
        image(root.resolve("rose/2.png"), 3, 4, opencv_core.CV_8UC3, bgr(3, 4, 0, 0, 200));
        image(root.resolve("rose/10.png"), 3, 4, opencv_core.CV_8UC3, bgr(3, 4, 0, 0, 100));
        image(root.resolve("b_tulip/a.bmp"), 3, 4, opencv_core.CV_8UC3, bgr(3, 4, 30, 60, 90));
        image(root.resolve("Zinnia/sub/z.png"), 3, 4, opencv_core.CV_8UC3, bgr(3, 4, 1, 2, 3));
        image(root.resolve("Zinnia/y.PNG"), 3, 4, opencv_core.CV_8UC3, bgr(3, 4, 4, 5, 6));
        Files.writeString(root.resolve("rose/notes.txt"), "not an image");
        try (Warnings.Recorder r = Warnings.record()) {
            Dataset d = Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0));
            assertTrue(r.warned("skipped 1 file(s)"), r.warnings().toString());
            assertEquals(List.of("Zinnia", "b_tulip", "rose"), d.classNames());
            // Zinnia/y.PNG (folder Zinnia) before Zinnia/sub/z.png (folder Zinnia/sub); "10.png" < "2.png"
            assertArrayEquals(new int[] {0, 0, 1, 2, 2}, d.labels());
            assertEquals(3, d.channels());
            assertEquals(3, d.height());
            assertEquals(4, d.width());
            assertEquals("flowers", d.name());
            assertEquals("image-folder", d.origin().format());
            int plane = 12;
            // row 0 = y.PNG: B 4 G 5 R 6 -> RGB channels 6, 5, 4
            assertEquals(6 / 255f, d.images().get(0, 0), 0f);
            assertEquals(5 / 255f, d.images().get(0, plane), 0f);
            assertEquals(4 / 255f, d.images().get(0, 2 * plane + 11), 0f);
            assertEquals(90 / 255f, d.images().get(2, 0), 0f); // the BMP's red channel
            assertEquals(100 / 255f, d.images().get(3, 5), 0f); // rose/10.png before rose/2.png
            assertEquals(200 / 255f, d.images().get(4, 5), 0f);
            Dataset two = Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 2));
            assertNotEquals(d.sha256(), two.sha256(), "the hash covers what was read");
        }
    }

    @Test
    void greyJpegAndSixteenBitImagesKeepTheirChannelsAndDepth() throws IOException {
        Path root = dir.resolve("grey");
        byte[] px = new byte[8 * 8];
        java.util.Arrays.fill(px, (byte) 128);
        image(root.resolve("a/1.jpg"), 8, 8, opencv_core.CV_8UC1, px);
        image(root.resolve("b/1.jpeg"), 8, 8, opencv_core.CV_8UC1, px);
        Dataset d = Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0));
        assertEquals(1, d.channels());
        assertEquals(128 / 255f, d.images().get(0, 27), 2 / 255f); // JPEG is lossy, but a flat image nearly exact
        Path deep = dir.resolve("deep");
        byte[] sixteen = new byte[2 * 2 * 2];
        ByteBuffer.wrap(sixteen).order(ByteOrder.nativeOrder()).asShortBuffer().put(new short[] {0, 1000, (short) 65535, 7});
        image(deep.resolve("a/1.png"), 2, 2, opencv_core.CV_16UC1, sixteen);
        image(deep.resolve("b/1.png"), 2, 2, opencv_core.CV_16UC1, sixteen);
        Dataset s = Datasets.load(new DatasetRequest(null, null, null, deep, null, null, null, null, 0));
        assertEquals(1000 / 65535f, s.images().get(0, 1), 1e-7f);
        assertEquals(1f, s.images().get(1, 2), 0f);
        assertEquals("1/65535", s.origin().scale().text());
    }

    @Test
    void oddImagesAndBadFoldersAreNamed() throws IOException {
        Path root = dir.resolve("mixed");
        image(root.resolve("a/1.png"), 4, 4, opencv_core.CV_8UC3, bgr(4, 4, 1, 2, 3));
        image(root.resolve("b/1.png"), 5, 4, opencv_core.CV_8UC3, bgr(5, 4, 1, 2, 3));
        String m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.startsWith(root.resolve("b/1.png").toString()) && m.contains("is 4x5")
                && m.contains("first image (" + root.resolve("a/1.png")) && m.contains("mogrify -resize 4x4!"), m);
        image(root.resolve("b/1.png"), 4, 4, opencv_core.CV_8UC1, new byte[16]);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("b/1.png") && m.contains("1 channel"), m);
        Files.write(root.resolve("b/1.png"), "GIF89a not really".getBytes(StandardCharsets.US_ASCII));
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("b/1.png") && m.contains("not a PNG, JPEG or BMP"), m);
        // a PNG cut short: refused by the chunk walk before OpenCV sees it
        image(root.resolve("b/1.png"), 4, 4, opencv_core.CV_8UC3, bgr(4, 4, 9, 9, 9));
        byte[] good = Files.readAllBytes(root.resolve("b/1.png"));
        Files.write(root.resolve("b/1.png"), java.util.Arrays.copyOf(good, 40));
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("b/1.png") && m.contains("PNG ends inside a chunk"), m);
        // a chunk declaring more than the file holds (lengths and CRCs otherwise right)
        byte[] longChunk = good.clone();
        ByteBuffer.wrap(longChunk).putInt(indexOf(longChunk, "IDAT") - 4, 0xFFFFFF21);
        Files.write(root.resolve("b/1.png"), longChunk);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("b/1.png") && m.contains("declares 4294967073 bytes"), m);
        // whole chunks with valid CRCs but garbage compressed data: OpenCV cannot decode it
        byte[] garbage = good.clone();
        int idat = indexOf(garbage, "IDAT");
        int len = ByteBuffer.wrap(garbage).getInt(idat - 4);
        for (int i = 0; i < len; i++) {
            garbage[idat + 4 + i] = (byte) (37 * i + 11);
        }
        fixCrc(garbage, idat - 4);
        Files.write(root.resolve("b/1.png"), garbage);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("b/1.png") && m.contains("OpenCV cannot decode it"), m);
        // a tiny PNG declaring a huge image is refused before OpenCV allocates it
        byte[] bomb = good.clone();
        ByteBuffer.wrap(bomb).putInt(16, 30000).putInt(20, 30000);
        fixCrc(bomb, 8);
        Files.write(root.resolve("b/1.png"), bomb);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("30000 x 30000"), m);
        Files.delete(root.resolve("b/1.png"));
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("class folder without images"), m);
        Files.delete(root.resolve("b"));
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("one class folder only"), m);
        Path flat = dir.resolve("flat");
        image(flat.resolve("1.png"), 4, 4, opencv_core.CV_8UC3, bgr(4, 4, 1, 2, 3));
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, flat, null, null, null, null, 0)));
        assertTrue(m.contains("no class subfolders (the images lie directly in it)"), m);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, flat, dir.resolve("y.npy"), null, null,
                null, 0)));
        assertTrue(m.contains("--targets") && m.contains("does not apply to an image folder"), m);
    }

    /** Found by fuzzing: a 90-byte PNG whose second chunk declares 4 GB made OpenCV allocate gigabytes for 19 s. */
    @Test
    void aPngChunkLongerThanTheFileIsRefusedBeforeOpenCv() throws IOException {
        byte[] png = Files.readAllBytes(Path.of("src/test/resources/org/hiddenactivity/data/DataFormatsFuzzTestInputs"
                + "/image/png_chunk_length_4gb"));
        long t0 = System.nanoTime();
        String m = message(() -> ImageFolder.decode(png, "bomb.png"));
        assertTrue(m.startsWith("bomb.png") && m.contains("PNG chunk"), m);
        assertTrue((System.nanoTime() - t0) / 1e9 < 1, "refused at once");
    }

    private static int indexOf(byte[] b, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (b[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Recomputes the CRC of the PNG chunk starting (at its length field) at {@code p}. */
    private static void fixCrc(byte[] png, int p) {
        int len = ByteBuffer.wrap(png).getInt(p);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, p + 4, 4 + len);
        ByteBuffer.wrap(png).putInt(p + 8 + len, (int) crc.getValue());
    }

    @Test
    void alphaIsDroppedWithAWarning() throws IOException {
        Path root = dir.resolve("rgba");
        byte[] px = new byte[2 * 2 * 4];
        for (int i = 0; i < 4; i++) {
            px[4 * i] = 10;
            px[4 * i + 1] = 20;
            px[4 * i + 2] = 30;
            px[4 * i + 3] = (byte) 255;
        }
        image(root.resolve("a/1.png"), 2, 2, opencv_core.CV_8UC4, px);
        image(root.resolve("b/1.png"), 2, 2, opencv_core.CV_8UC4, px);
        Warnings.resetOnce();
        try (Warnings.Recorder r = Warnings.record()) {
            Dataset d = Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0));
            assertEquals(3, d.channels());
            assertEquals(30 / 255f, d.images().get(0, 0), 0f);
            assertTrue(r.warned("alpha channel"), r.warnings().toString());
        }
    }

    @Test
    void oneHotTargetsAreToldToUseArgmax() {
        // issue 18, item 11 (the --targets side)
        byte[] body = new byte[4 * 2 * 8];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            b.putDouble(i % 2 == 0 ? 1 : 0).putDouble(i % 2 == 0 ? 0 : 1);
        }
        Path y = dir.resolve("y_onehot.npy");
        org.hiddenactivity.core.Npy.writeRaw(y, "<f8", new int[] {4, 2}, body);
        org.hiddenactivity.core.HavException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.hiddenactivity.core.HavException.class, () -> Targets.read(y, 4, null,
                        org.hiddenactivity.core.Npy.sha256()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("y.argmax(1)")
                && !e.getMessage().contains("ravel"), e.getMessage());
    }

    @Test
    void aClassFolderWhoseNameIsNotUtf8IsNamedAsSuch() throws Exception {
        // issue 18, item 12: "cannot list the folder ... check its permissions" for a readable folder
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        Path root = dir.resolve("latin1");
        image(root.resolve("a/1.png"), 4, 4, opencv_core.CV_8UC3, bgr(4, 4, 1, 2, 3));
        // "café" in Latin-1: the byte 0xE9 alone is not UTF-8; made with the C library's mkdir, which takes bytes
        Process mk = new ProcessBuilder("/usr/bin/python3", "-c", "import os, sys; d = os.fsencode(sys.argv[1]);"
                + " os.mkdir(d + b'/caf\\xe9'); os.link(d + b'/a/1.png', d + b'/caf\\xe9/1.png')", root.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, mk.waitFor(), new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("not valid UTF-8") && m.contains("caf\uFFFD") && m.contains("rename")
                && !m.contains("permissions"), m);
    }

    @Test
    void cmykAndYcckJpegsAreRefusedByName() throws IOException {
        // issue 18, item 9: CMYK JPEGs decoded unlike torchvision/PIL, silently (made by PIL: Image.new('CMYK', ...))
        byte[] cmyk;
        try (var in = UserDataTest.class.getResourceAsStream("images/cmyk_8x8.jpg")) {
            cmyk = in.readAllBytes();
        }
        Path root = dir.resolve("cmyk");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        Files.write(root.resolve("a/1.jpg"), cmyk);
        Files.write(root.resolve("b/1.jpg"), cmyk);
        String m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.startsWith(root.resolve("a/1.jpg").toString()) && m.contains("a CMYK JPEG")
                && m.contains("convert('RGB')"), m);
        // the same file marked YCCK by its Adobe segment (transform byte 2)
        int adobe = indexOf(cmyk, "Adobe");
        byte[] ycck = cmyk.clone();
        assertEquals(0, ycck[adobe + 11]);
        ycck[adobe + 11] = 2;
        Files.write(root.resolve("a/1.jpg"), ycck);
        m = message(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.startsWith(root.resolve("a/1.jpg").toString()) && m.contains("a YCCK JPEG"), m);
    }
}
