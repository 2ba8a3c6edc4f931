package org.hiddenactivity.data;

import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * The binary version of CIFAR-10 (Krizhevsky): each batch file is a sequence of 3073-byte records, one label byte
 * (0..9) then 32x32 red, 32x32 green, 32x32 blue bytes (row-major), i.e. already channel-major.
 */
final class Cifar10Format {
    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int PIXELS = CHANNELS * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;
    static final int CLASSES = 10;

    private Cifar10Format() {}

    /** Checks a batch file's content: whole records, labels in range. Returns its record count. */
    static int check(byte[] content, String file) {
        String fix = "expected a batch file of the CIFAR-10 binary version (cifar-10-binary.tar.gz, records of 1 label"
                + " byte + 3072 pixel bytes); download or copy it again";
        if (content.length == 0) {
            throw new HavException(file, "empty file", fix);
        }
        if (content.length % RECORD != 0) {
            throw new HavException(file, content.length + " bytes is not a whole number of " + RECORD
                    + "-byte records (truncated, or not the CIFAR-10 binary version)", fix);
        }
        int records = content.length / RECORD;
        for (int r = 0; r < records; r++) {
            int label = content[r * RECORD] & 0xff;
            if (label >= CLASSES) {
                throw new HavException(file, "record " + r + " has label byte " + label + ", CIFAR-10 labels are 0..9"
                        + " (CIFAR-100 files have two label bytes)", fix);
            }
        }
        return records;
    }

    /** Decodes the first {@code n} records of the given checked batch contents, in order, into [0,1] pixels. */
    static void decode(List<byte[]> batches, int n, FloatMatrix images, int[] labels) {
        float[] out = images.data();
        int row = 0;
        for (byte[] batch : batches) {
            int records = batch.length / RECORD;
            for (int r = 0; r < records && row < n; r++, row++) {
                int base = r * RECORD;
                labels[row] = batch[base] & 0xff;
                int o = row * PIXELS;
                for (int i = 0; i < PIXELS; i++) {
                    out[o + i] = (batch[base + 1 + i] & 0xff) / 255f;
                }
            }
        }
    }
}
