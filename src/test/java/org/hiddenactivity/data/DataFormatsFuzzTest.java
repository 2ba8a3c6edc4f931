package org.hiddenactivity.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.hiddenactivity.core.Fuzz;
import org.hiddenactivity.core.HavException;

/**
 * Coverage-guided fuzzing of the dataset parsers: idx (MNIST, Fashion-MNIST) raw and gzip, CIFAR-10 batches and
 * their meta file, the user's .npy images with targets, and the ImageFolder decode path (image headers and
 * OpenCV's imdecode). In the normal test run (regression mode) each replays its committed inputs in
 * src/test/resources/org/hiddenactivity/data/DataFormatsFuzzTestInputs/METHOD/ (written by
 * scripts/fuzz-seeds.py); JAZZER_FUZZ=1 fuzzes one of them (docs/fuzzing.md).
 */
class DataFormatsFuzzTest {
    /**
     * idx images and labels split from one input. Framing (so seeds are easy to write, scripts/fuzz-seeds.py):
     * byte 0 flags (bit 0: gzip the images, bit 1: gzip the labels), byte 1 --size, bytes 2-3 the labels' length
     * (big-endian), the labels, then the images.
     */
    @FuzzTest(maxDuration = "30s")
    void idx(byte[] input) throws Exception {
        Frames f = new Frames(input);
        int flags = f.u8();
        int size = f.u8();
        byte[] labels = f.bytes(f.u16());
        byte[] images = f.rest();
        DataFile imageFile = DataFile.bytes("images.idx", (flags & 1) != 0 ? gzip(images) : images);
        DataFile labelFile = DataFile.bytes("labels.idx", (flags & 2) != 0 ? gzip(labels) : labels);
        try {
            Datasets.readIdx("mnist", Split.TEST, List.of(imageFile, labelFile), size, PixelScale.BYTE);
        } catch (HavException e) {
            if (!e.getMessage().startsWith("images.idx") && !e.getMessage().startsWith("labels.idx")) {
                throw new AssertionError("the error names neither file: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A CIFAR-10 test batch. Framing: byte 0 flags (bit 0: pad the rest to the length of a batch plus a delta, so
     * the record and label checks are reached), bytes 1-2 the delta (signed, clipped to -2 records..+2), bytes 3-4
     * --size, then the batch's first bytes.
     */
    @FuzzTest(maxDuration = "30s")
    void cifar(byte[] input) throws Exception {
        Frames f = new Frames(input);
        boolean whole = (f.u8() & 1) != 0;
        int delta = Math.max(-2 * Cifar10Format.RECORD, Math.min(2, (short) f.u16()));
        int size = f.u16();
        byte[] head = f.rest();
        byte[] batch = whole ? Arrays.copyOf(head, Math.max(head.length, (int) Cifar10Format.BATCH_BYTES + delta))
                : head;
        Fuzz.expectOnlyHavException("test_batch.bin", () ->
                Datasets.readCifar(Arrays.asList(DataFile.bytes("test_batch.bin", batch), null), Split.TEST, size,
                        PixelScale.BYTE));
    }

    /**
     * The user's .npy images with a .npy of targets, written to files as the CLI reads them. Framing: byte 0 the
     * layout option (0 none, 1 nhwc, 2 nchw), byte 1 the class names (0 none, 1 "a,b", 2 "a,b,c"), byte 2 --size,
     * bytes 3-4 the targets file's length, the targets file, then the images file.
     */
    @FuzzTest(maxDuration = "30s")
    void npyImages(byte[] input) throws Exception {
        Frames f = new Frames(input);
        String layout = new String[] {null, "nhwc", "nchw"}[f.u8() % 3];
        String names = new String[] {null, "a,b", "a,b,c"}[f.u8() % 3];
        int size = f.u8();
        byte[] targetBytes = f.bytes(f.u16());
        byte[] imageBytes = f.rest();
        Path dir = Files.createTempDirectory("hav-fuzz");
        Path images = dir.resolve("images.npy");
        Path targets = dir.resolve("targets.npy");
        try {
            Files.write(targets, targetBytes);
            Files.write(images, imageBytes);
            Datasets.load(new DatasetRequest(null, null, null, images, targets, names, layout, null, size));
        } catch (HavException e) {
            String m = e.getMessage();
            if (!m.startsWith(images.toString()) && !m.startsWith(targets.toString()) && !m.startsWith("--")) {
                throw new AssertionError("the error names no file or option: " + m, e);
            }
        } finally {
            Files.deleteIfExists(images);
            Files.deleteIfExists(targets);
            Files.delete(dir);
        }
    }

    /** One image file's bytes through the ImageFolder decode path (header check, then OpenCV's imdecode). */
    @FuzzTest(maxDuration = "30s")
    void image(byte[] input) throws Exception {
        Fuzz.expectOnlyHavException("fuzz.img", () -> {
            ImageFolder.Decoded d = ImageFolder.decode(input, "fuzz.img");
            if (d.chw().length != d.width() * d.height() * d.channels()) {
                throw new AssertionError("decoded " + d.chw().length + " values for " + d.describe());
            }
        });
    }

    /**
     * Like {@link #image}, but with the CRCs of the input's PNG chunks recomputed first: a mutated PNG otherwise
     * stops at the CRC check, and OpenCV's decoder behind it is never reached.
     */
    @FuzzTest(maxDuration = "30s")
    void pngValidCrc(byte[] input) throws Exception {
        byte[] png = input.clone();
        int p = 8;
        while (png.length >= 8 && png[1] == 'P' && p + 12 <= png.length) {
            long len = java.nio.ByteBuffer.wrap(png, p, 4).getInt() & 0xffffffffL;
            if (len > png.length - p - 12L) {
                break;
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(png, p + 4, 4 + (int) len);
            java.nio.ByteBuffer.wrap(png).putInt(p + 8 + (int) len, (int) crc.getValue());
            p += 12 + (int) len;
        }
        image(png);
    }

    static byte[] gzip(byte[] raw) throws java.io.IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    /** Reads the framing of a harness input; past the end every field is 0 and every part empty. */
    static final class Frames {
        private final byte[] b;
        private int p;

        Frames(byte[] b) {
            this.b = b;
        }

        int u8() {
            return p < b.length ? b[p++] & 0xff : 0;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        byte[] bytes(int n) {
            int k = Math.min(n, b.length - p);
            byte[] out = Arrays.copyOfRange(b, p, p + k);
            p += k;
            return out;
        }

        byte[] rest() {
            return bytes(b.length - p);
        }
    }
}
