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
                n *= d;
            }
            return n;
        }
    }

    /**
     * Checks the header and the length; {@code what} ("images", "labels") and {@code rank} say what is expected.
     */
    static Array parse(byte[] bytes, int rank, String what, String file) {
        String fix = "expected the " + what + " file of MNIST-style idx data (idx" + rank
                + "-ubyte, gzip or raw); download or copy it again";
        if (bytes.length < 4) {
            throw new HavException(file, "too short to be an idx file (" + bytes.length + " bytes)", fix);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
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
        if (bytes.length < headerBytes) {
            throw new HavException(file, "truncated idx header (" + bytes.length + " bytes, " + headerBytes + " needed)",
                    fix);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = buf.getInt(4 + 4 * i);
            if (dims[i] < 0) {
                throw new HavException(file, "negative dimension " + dims[i] + " in the idx header", fix);
            }
            count *= dims[i];
        }
        long expected = headerBytes + count;
        if (bytes.length < expected) {
            throw new HavException(file, "truncated: the header announces " + count + " values ("
                    + expected + " bytes) but the file holds " + bytes.length + " bytes", fix);
        }
        if (bytes.length > expected) {
            throw new HavException(file, (bytes.length - expected) + " bytes more than the header announces ("
                    + expected + " bytes)", fix);
        }
        return new Array(dims, bytes, headerBytes);
    }
}
