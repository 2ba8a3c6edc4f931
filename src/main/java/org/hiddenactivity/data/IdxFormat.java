package org.hiddenactivity.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.hiddenactivity.core.HavException;

/**
 * The idx format of MNIST and Fashion-MNIST (LeCun's page): a magic number 0x0000TTRR (TT = element type,
 * 0x08 = unsigned byte; RR = rank), RR big-endian 32-bit dimensions, then the values in row-major order.
 */
final class IdxFormat {
    static final int UNSIGNED_BYTE = 0x08;

    private IdxFormat() {}

    /** A parsed idx array of unsigned bytes: its dimensions and the offset of the values in {@code bytes}. */
    record Array(int[] dims, byte[] bytes, int offset) {
        long count() {
            long n = 1;
            for (int d : dims) {
                n *= d; // parse() proved the product fits in the file
            }
            return n;
        }
    }

    /** The layout of an idx file of the given rank, for reading it no further than its header declares. */
    static DataFile.Layout layout(int rank, String what) {
        return new DataFile.Layout() {
            @Override
            public int headerBytes() {
                return 4 + 4 * rank;
            }

            @Override
            public long declaredLength(byte[] header, int available, String file) {
                return IdxFormat.declaredLength(header, available, rank, what, file);
            }

            @Override
            public HavException truncated(String file, long held, long declared) {
                return new HavException(file, "truncated: the header announces " + (declared - headerBytes())
                        + " values (" + declared + " bytes) but the file holds " + held + " bytes", fix(rank, what));
            }

            @Override
            public HavException tooLong(String file, long declared) {
                return new HavException(file, "more bytes than the header announces (" + declared + " bytes)",
                        fix(rank, what));
            }
        };
    }

    private static String fix(int rank, String what) {
        return "expected the " + what + " file of MNIST-style idx data (idx" + rank
                + "-ubyte, gzip or raw); download or copy it again";
    }

    /**
     * Checks the header (magic, element type, rank, dimensions) and returns the total length in bytes the file must
     * have; the product of the dimensions is computed exactly (a product that would wrap 64 bits is refused).
     */
    static long declaredLength(byte[] bytes, int available, int rank, String what, String file) {
        String fix = fix(rank, what);
        if (available < 4) {
            throw new HavException(file, "too short to be an idx file (" + available + " bytes)", fix);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, available).order(ByteOrder.BIG_ENDIAN);
        int magic = buf.getInt(0);
        if ((magic >>> 16) != 0) {
            throw new HavException(file, String.format("wrong magic number 0x%08X, not an idx file", magic), fix);
        }
        int type = (magic >>> 8) & 0xff;
        int fileRank = magic & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new HavException(file, String.format("idx element type 0x%02X, expected unsigned bytes (0x08)", type),
                    fix);
        }
        if (fileRank != rank) {
            throw new HavException(file, "idx array of rank " + fileRank + ", " + what + " have rank " + rank
                    + String.format(" (magic 0x%08X)", magic), fix);
        }
        int headerBytes = 4 + 4 * rank;
        if (available < headerBytes) {
            throw new HavException(file, "truncated idx header (" + available + " bytes, " + headerBytes + " needed)",
                    fix);
        }
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int d = buf.getInt(4 + 4 * i);
            if (d < 0) {
                throw new HavException(file, "negative dimension " + d + " in the idx header", fix);
            }
            if (d == 0) {
                throw new HavException(file, "dimension " + i + " of the idx header is 0 (no " + what + ")", fix);
            }
            if (count > DataFile.MAX_CONTENT / d) {
                // larger than any idx file read (and the exact product may not even fit in 64 bits)
                return Long.MAX_VALUE;
            }
            count *= d;
        }
        return headerBytes + count;
    }

    /** Checks a whole file's content (header and length); {@code what} ("images", "labels") and {@code rank}. */
    static Array parse(byte[] bytes, int rank, String what, String file) {
        DataFile.Layout layout = layout(rank, what);
        long expected = declaredLength(bytes, bytes.length, rank, what, file);
        if (expected > DataFile.MAX_CONTENT) {
            throw new HavException(file, "the idx header declares more than " + DataFile.MAX_CONTENT
                    + " bytes of data", fix(rank, what));
        }
        if (bytes.length < expected) {
            throw layout.truncated(file, bytes.length, expected);
        }
        if (bytes.length > expected) {
            throw layout.tooLong(file, expected);
        }
        int[] dims = new int[rank];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < rank; i++) {
            dims[i] = buf.getInt(4 + 4 * i);
        }
        return new Array(dims, bytes, 4 + 4 * rank);
    }
}
