package org.hiddenactivity.data;

import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * The binary version of CIFAR-10 (Krizhevsky): each batch file is a sequence of 3073-byte records, one label byte
 * (0..9) then 32x32 red, 32x32 green, 32x32 blue bytes (row-major), i.e. already channel-major. Every batch of the
 * distribution, the five training batches and the test batch, holds exactly 10000 records: fewer is a truncated
 * copy, even when it ends at a record boundary.
 */
final class Cifar10Format {
    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int PIXELS = CHANNELS * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;
    static final int CLASSES = 10;
    static final int RECORDS_PER_BATCH = 10000;
    static final long BATCH_BYTES = (long) RECORDS_PER_BATCH * RECORD;
    private static final String FIX = "expected a batch file of the CIFAR-10 binary version (cifar-10-binary.tar.gz,"
            + " 10000 records of 1 label byte + 3072 pixel bytes); download or copy it again";

    private Cifar10Format() {}

    /** Every batch has the same length; there is no header. */
    static final DataFile.Layout LAYOUT = new DataFile.Layout() {
        @Override
        public int headerBytes() {
            return 0;
        }

        @Override
        public long declaredLength(byte[] header, int available, String file) {
            return BATCH_BYTES;
        }

        @Override
        public HavException truncated(String file, long held, long declared) {
            return Cifar10Format.truncated(file, held);
        }

        @Override
        public HavException tooLong(String file, long declared) {
            return new HavException(file, "longer than a CIFAR-10 batch (" + BATCH_BYTES + " bytes)", FIX);
        }
    };

    private static HavException truncated(String file, long held) {
        if (held == 0) {
            return new HavException(file, "empty file", FIX);
        }
        if (held % RECORD != 0) {
            return new HavException(file, held + " bytes is not a whole number of " + RECORD
                    + "-byte records (truncated, or not the CIFAR-10 binary version)", FIX);
        }
        return new HavException(file, "holds " + (held / RECORD) + " records; every CIFAR-10 batch has "
                + RECORDS_PER_BATCH + " (the copy is truncated)", FIX);
    }

    /** Checks a batch file's content: exactly 10000 whole records, labels in range. Returns its record count. */
    static int check(byte[] content, String file) {
        if (content.length != BATCH_BYTES) {
            throw content.length < BATCH_BYTES ? truncated(file, content.length) : LAYOUT.tooLong(file, BATCH_BYTES);
        }
        int records = content.length / RECORD;
        for (int r = 0; r < records; r++) {
            int label = content[r * RECORD] & 0xff;
            if (label >= CLASSES) {
                throw new HavException(file, "record " + r + " has label byte " + label + ", CIFAR-10 labels are 0..9"
                        + " (CIFAR-100 files have two label bytes)", FIX);
            }
        }
        return records;
    }

    /**
     * Decodes the first {@code n} records of the given checked batch contents, in order, into {@code images} as the
     * raw byte values times {@code scale}.
     */
    static void decode(List<byte[]> batches, int n, FloatMatrix images, int[] labels, PixelScale scale) {
        float[] out = images.data();
        float[] table = PixelScale.table(scale);
        int row = 0;
        for (byte[] batch : batches) {
            int records = batch.length / RECORD;
            for (int r = 0; r < records && row < n; r++, row++) {
                int base = r * RECORD;
                labels[row] = batch[base] & 0xff;
                int o = row * PIXELS;
                for (int i = 0; i < PIXELS; i++) {
                    out[o + i] = table[batch[base + 1 + i] & 0xff];
                }
            }
        }
    }
}
