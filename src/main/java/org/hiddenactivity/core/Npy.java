package org.hiddenactivity.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1 to 3; C or Fortran order; little- or big-endian;
 * bool, integer and float32/64 dtypes). Written here because the two .npy libraries on Maven Central are
 * unmaintained (see docs/libraries.md).
 *
 * <p>Reading is defensive, the file being untrusted: the file type is checked before it is opened, the header is
 * bounded and parsed as the Python literal it is (not by pattern matching), every dimension and the element count
 * are checked for overflow, the file size is compared with what the header declares before any data is read, and
 * memory is checked before it is allocated. Every problem is a {@link HavException} naming the file.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longest header read: numpy's own reader refuses more than 10000 bytes by default ({@code max_header_size}). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** numpy 2 allows 64 dimensions (NPY_MAXDIMS). */
    static final int MAX_RANK = 64;
    private static final String NOT_NPY = "write it with numpy.save";
    private static final String REWRITE = "the file is incomplete or damaged; write it again with numpy.save";

    private Npy() {}

    /** The element types read, with numpy's names. */
    public enum Dtype {
        BOOL("b1", 1, "bool"), INT8("i1", 1, "int8"), UINT8("u1", 1, "uint8"), INT16("i2", 2, "int16"),
        UINT16("u2", 2, "uint16"), INT32("i4", 4, "int32"), UINT32("u4", 4, "uint32"), INT64("i8", 8, "int64"),
        UINT64("u8", 8, "uint64"), FLOAT32("f4", 4, "float32"), FLOAT64("f8", 8, "float64");

        private final String code;
        private final int size;
        private final String numpyName;

        Dtype(String code, int size, String numpyName) {
            this.code = code;
            this.size = size;
            this.numpyName = numpyName;
        }

        public int size() {
            return size;
        }

        public boolean isFloat() {
            return this == FLOAT32 || this == FLOAT64;
        }

        /** numpy's name ("float32", "uint8"). */
        public String numpyName() {
            return numpyName;
        }

        static Dtype ofCode(String code) {
            for (Dtype d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            return null;
        }
    }

    /**
     * A parsed header.
     *
     * @param file         the file (for messages)
     * @param version      format major version (1, 2 or 3)
     * @param dtype        element type
     * @param order        byte order of the elements
     * @param fortranOrder true when the elements are stored column-major
     * @param shape        the dimensions, each in 0..2^31-1
     * @param dataOffset   where the elements start
     */
    public record Header(String file, int version, Dtype dtype, ByteOrder order, boolean fortranOrder, int[] shape,
                         long dataOffset) {
        /** Number of elements (checked not to overflow when parsed). */
        public long count() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        public long dataBytes() {
            return count() * dtype.size();
        }

        public int rank() {
            return shape.length;
        }

        /** "shape (2, 3) of float32" for messages. */
        public String describe() {
            return "shape " + shapeString(shape) + " of " + dtype.numpyName()
                    + (order == ByteOrder.BIG_ENDIAN && dtype.size() > 1 ? " (big-endian)" : "")
                    + (fortranOrder && shape.length > 1 ? " (Fortran order)" : "");
        }
    }

    /** A whole array read as doubles (exact for every dtype but 64-bit integers beyond 2^53), in C order. */
    public record Array(int[] shape, String dtype, double[] values) {
        public long size() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    // ------------------------------------------------------------------------------------------ convenience

    /** Reads any array whole as doubles in C order (references and tests; the engine reads floats). */
    public static Array read(Path file) {
        try (Reader r = Reader.open(file)) {
            Header h = r.header();
            return new Array(h.shape(), h.dtype().numpyName(), r.readAllDoubles());
        }
    }

    /** Reads a 2-D numeric array as floats; a clear error names the file when it is not 2-D or not numeric. */
    public static FloatMatrix readMatrix(Path file) {
        try (Reader r = Reader.open(file)) {
            return matrix(r);
        }
    }

    /**
     * Reads a 2-D numeric array for a scale-free use (t-SNE): 8-byte types (float64, int64) are divided in float64 by
     * their largest finite |value| before they are narrowed to float, so finite data of any scale neither overflows
     * to Infinity nor underflows to 0, and data times any factor give the same floats (up to float64's rounding);
     * narrower types are read as they are.
     */
    public static FloatMatrix readMatrixRescaled(Path file) {
        try (Reader r = Reader.open(file)) {
            Header h = r.header();
            if (h.rank() != 2 || h.dtype().size() < 8) {
                return matrix(r);
            }
            double[] v = r.readAllDoubles();
            double max = 0;
            for (double x : v) {
                if (Double.isFinite(x)) {
                    max = Math.max(max, Math.abs(x));
                }
            }
            double divisor = max == 0 ? 1 : max;
            float[] out = InputFiles.allocate(() -> new float[v.length], 4L * v.length, h.file(), "reading it");
            for (int e = 0; e < v.length; e++) {
                out[e] = (float) (v[e] / divisor);  // NaN and infinities stay, for the input check to name them
            }
            return new FloatMatrix(h.shape()[0], h.shape()[1], out);
        }
    }

    /**
     * Reads a 1-D array of class labels: whole numbers in 0..2^31-2 (floats must be whole). Anything else (a
     * negative value, 1e12, NaN) is refused with its index, never rounded or clamped into a label.
     */
    public static int[] readLabels(Path file) {
        try (Reader r = Reader.open(file)) {
            return labels(r);
        }
    }

    static FloatMatrix matrix(Reader r) {
        Header h = r.header();
        if (h.rank() != 2) {
            throw new HavException(h.file(), "expected a 2-D array (observations x features), found "
                    + h.describe(), "save it with numpy as X.reshape(len(X), -1)");
        }
        return new FloatMatrix(h.shape()[0], h.shape()[1], r.readAllFloats());
    }

    static int[] labels(Reader r) {
        Header h = r.header();
        if (h.rank() != 1) {
            throw new HavException(h.file(), "expected a 1-D array of labels, found " + h.describe(),
                    labelsShapeFix(h.shape(), "labels"));
        }
        int n = h.shape()[0];
        double[] v = InputFiles.allocate(() -> new double[n], 8L * n, h.file(), "reading its labels");
        r.readDoubles(v, 0, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = classIndex(v[i], i, h.file());
        }
        return out;
    }

    /**
     * The fix for labels that are not 1-D: one column is flattened ({@code y.ravel()}); several columns are one-hot
     * rows or class scores, whose class is the largest column ({@code y.argmax(1)}; ravel would make N x K labels).
     */
    public static String labelsShapeFix(int[] shape, String what) {
        if (shape.length == 2 && shape[1] > 1) {
            return "one row per observation with " + shape[1] + " columns looks like one-hot " + what + " or class"
                    + " scores: save the class indices with numpy as y.argmax(1)";
        }
        return "save the " + what + " as a 1-D array with numpy as y.ravel()";
    }

    /** A label value as a class index, or a clear error naming the file and index. */
    public static int classIndex(double v, long index, String file) {
        String fix = "labels are class indices 0, 1, 2, ...; map them with numpy, e.g. np.unique(y, return_inverse=True)[1]";
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new HavException(file, "label " + index + " is " + v + ", not a class index", fix);
        }
        if (v != Math.rint(v)) {
            throw new HavException(file, "label " + index + " is " + v + ", not a whole number", fix);
        }
        if (v < 0) {
            throw new HavException(file, "label " + index + " is " + (long) v + ", negative", fix);
        }
        if (v >= Integer.MAX_VALUE) {
            throw new HavException(file, "label " + index + " is " + String.format("%.6g", v)
                    + ", too large for a class index", fix);
        }
        return (int) v;
    }

    /** The header of a file (after checking the file type and that its size matches the header). */
    public static Header readHeader(Path file) {
        try (Reader r = Reader.open(file)) {
            return r.header();
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    /**
     * A .npy file opened for reading: its header is parsed and checked against the file size when it is opened; the
     * elements are then read in storage order, in chunks. The raw bytes read (header and elements) feed an
     * optional SHA-256 digest, so a dataset's hash is that of exactly what was read.
     */
    public static final class Reader implements AutoCloseable {
        private static final int CHUNK = 1 << 16;
        private final ReadableByteChannel in;
        private final Header header;
        private final MessageDigest digest;
        private final ByteBuffer chunk;
        private long elementsRead;
        private long bytesFetched;

        private Reader(ReadableByteChannel in, Header header, MessageDigest digest) {
            this.in = in;
            this.header = header;
            this.digest = digest;
            this.chunk = ByteBuffer.allocate(CHUNK).order(header.order());
            chunk.limit(0);
        }

        /** Opens a file: checks it is a regular file, parses the header, checks the size. */
        public static Reader open(Path file) {
            return open(file, null);
        }

        /** Like {@link #open(Path)}, feeding every byte read to {@code digest} (may be null). */
        public static Reader open(Path file, MessageDigest digest) {
            long size = InputFiles.requireRegularFile(file, "a .npy file");
            InputStream stream = InputFiles.open(file, "a .npy file");
            ReadableByteChannel ch = Channels.newChannel(stream);
            try {
                return new Reader(ch, readHeader(ch, size, file.toString(), digest), digest);
            } catch (RuntimeException | Error e) {
                closeQuietly(ch);
                throw e;
            }
        }

        /** Reads from bytes in memory (tests and the fuzz harness). */
        public static Reader of(byte[] bytes, String name) {
            ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(bytes));
            return new Reader(ch, readHeader(ch, bytes.length, name, null), null);
        }

        public Header header() {
            return header;
        }

        /** Elements not yet read. */
        public long remaining() {
            return header.count() - elementsRead;
        }

        /** Reads the next {@code count} elements, in storage order, as floats into {@code dest[offset..]}. */
        public void readFloats(float[] dest, int offset, int count) {
            checkCount(count);
            int done = 0;
            while (done < count) {
                int n = fill(count - done);
                decodeFloats(n, dest, offset + done);
                done += n;
            }
            elementsRead += count;
        }

        /** Reads the next {@code count} elements as doubles (exact for every integer below 2^53). */
        public void readDoubles(double[] dest, int offset, int count) {
            checkCount(count);
            int done = 0;
            while (done < count) {
                int n = fill(count - done);
                decodeDoubles(n, dest, offset + done);
                done += n;
            }
            elementsRead += count;
        }

        /** Reads every element as floats in C (row-major) order, whatever the storage order. */
        public float[] readAllFloats() {
            long count = header.count();
            if (count > InputFiles.MAX_ARRAY_BYTES / 4) {
                throw new HavException(header.file(), "array too large for one Java array (" + count + " values, "
                        + header.describe() + ")", "split it into smaller files");
            }
            boolean transpose = header.fortranOrder() && header.rank() > 1;
            long bytes = 4 * count * (transpose ? 3 : 1); // storage, result and the index permutation
            float[] stored = InputFiles.allocate(() -> new float[(int) count], bytes, header.file(), "reading it");
            readFloats(stored, 0, (int) count);
            return transpose ? fortranToC(stored, header.shape()) : stored;
        }

        /** Reads every element as doubles in C (row-major) order, whatever the storage order. */
        public double[] readAllDoubles() {
            long count = header.count();
            if (count > InputFiles.MAX_ARRAY_BYTES / 8) {
                throw new HavException(header.file(), "array too large for one Java array (" + count + " values, "
                        + header.describe() + ")", "split it into smaller files");
            }
            boolean transpose = header.fortranOrder() && header.rank() > 1;
            long bytes = count * (transpose ? 20 : 8); // storage, result and the index permutation
            double[] stored = InputFiles.allocate(() -> new double[(int) count], bytes, header.file(), "reading it");
            readDoubles(stored, 0, (int) count);
            if (!transpose) {
                return stored;
            }
            double[] out = new double[stored.length];
            int[] order = fortranOrder(header.shape());
            for (int c = 0; c < out.length; c++) {
                out[c] = stored[order[c]];
            }
            return out;
        }

        private void checkCount(int count) {
            if (count < 0 || count > remaining()) {
                throw new IllegalArgumentException("cannot read " + count + " of " + remaining() + " remaining elements");
            }
        }

        /** Makes at least one whole element available in {@code chunk}; returns how many (at most {@code want}). */
        private int fill(int want) {
            int size = header.dtype().size();
            if (chunk.remaining() < size) {
                chunk.compact(); // keeps the partial element, if any, at the start
                int toRead = (int) Math.min(chunk.capacity() - chunk.position(), header.dataBytes() - bytesFetched);
                chunk.limit(chunk.position() + toRead);
                readFully(in, chunk, header.file(), "truncated data (the file ends early); " + REWRITE, digest);
                bytesFetched += toRead;
                chunk.flip();
            }
            return Math.min(want, chunk.remaining() / size);
        }

        private void decodeFloats(int n, float[] dest, int off) {
            ByteBuffer b = chunk;
            switch (header.dtype()) {
                case FLOAT32 -> b.asFloatBuffer().get(dest, off, n);
                case FLOAT64 -> { for (int i = 0; i < n; i++) dest[off + i] = (float) b.getDouble(b.position() + 8 * i); }
                default -> { for (int i = 0; i < n; i++) dest[off + i] = (float) integerAt(b, i); }
            }
            b.position(b.position() + n * header.dtype().size());
        }

        private void decodeDoubles(int n, double[] dest, int off) {
            ByteBuffer b = chunk;
            switch (header.dtype()) {
                case FLOAT32 -> { for (int i = 0; i < n; i++) dest[off + i] = b.getFloat(b.position() + 4 * i); }
                case FLOAT64 -> b.asDoubleBuffer().get(dest, off, n);
                default -> { for (int i = 0; i < n; i++) dest[off + i] = integerAt(b, i); }
            }
            b.position(b.position() + n * header.dtype().size());
        }

        /** The i-th element after the buffer's position, of an integer or bool dtype, as a double. */
        private double integerAt(ByteBuffer b, int i) {
            int p = b.position() + i * header.dtype().size();
            return switch (header.dtype()) {
                case BOOL, UINT8 -> b.get(p) & 0xff;
                case INT8 -> b.get(p);
                case INT16 -> b.getShort(p);
                case UINT16 -> b.getShort(p) & 0xffff;
                case INT32 -> b.getInt(p);
                case UINT32 -> b.getInt(p) & 0xffffffffL;
                case INT64 -> b.getLong(p);
                case UINT64 -> unsigned(b.getLong(p));
                default -> throw new IllegalStateException(header.dtype().name());
            };
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** Permutes column-major (Fortran) storage of the given shape into row-major order. */
    static float[] fortranToC(float[] stored, int[] shape) {
        float[] out = new float[stored.length];
        int[] order = fortranOrder(shape);
        for (int c = 0; c < out.length; c++) {
            out[c] = stored[order[c]];
        }
        return out;
    }

    /** For each C-order (row-major) index of the shape, the index of the same element in Fortran storage. */
    private static int[] fortranOrder(int[] shape) {
        int rank = shape.length;
        long total = 1;
        long[] fStride = new long[rank];
        for (int k = 0; k < rank; k++) {
            fStride[k] = total;
            total *= shape[k];
        }
        int[] order = new int[(int) total];
        int[] idx = new int[rank];
        long f = 0;
        for (int c = 0; c < order.length; c++) {
            order[c] = (int) f;
            // odometer over C order: the last index moves fastest
            for (int k = rank - 1; k >= 0; k--) {
                idx[k]++;
                f += fStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                f -= fStride[k] * shape[k];
                idx[k] = 0;
            }
        }
        return order;
    }

    /** Parses magic, version and header dictionary; checks the declared data size against {@code totalSize}. */
    private static Header readHeader(ReadableByteChannel in, long totalSize, String name, MessageDigest digest) {
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        if (totalSize < 10) {
            throw new HavException(name, "not a .npy file (" + totalSize + " bytes)", NOT_NPY);
        }
        readFully(in, pre, name, "not a .npy file (too short)", digest);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw new HavException(name, "not a .npy file (wrong magic bytes)", NOT_NPY);
            }
        }
        int major = pre.get(6) & 0xff;
        long headerLen;
        long headerStart;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            ByteBuffer rest = ByteBuffer.allocate(2);
            readFully(in, rest, name, "truncated .npy header; " + REWRITE, digest);
            headerLen = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).put(pre.array(), 8, 2).put(rest.array())
                    .getInt(0) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new HavException(name, "unsupported .npy format version " + major + "." + (pre.get(7) & 0xff)
                    + " (versions 1 to 3 exist)", NOT_NPY);
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new HavException(name, "the .npy header claims " + headerLen + " bytes (more than "
                    + MAX_HEADER_BYTES + "; numpy's own limit is 10000)", REWRITE);
        }
        if (headerStart + headerLen > totalSize) {
            throw new HavException(name, "truncated .npy header (" + headerLen + " bytes announced, the file holds "
                    + totalSize + ")", REWRITE);
        }
        ByteBuffer text = ByteBuffer.allocate((int) headerLen);
        readFully(in, text, name, "truncated .npy header; " + REWRITE, digest);
        // version 3 headers are UTF-8, earlier ones latin-1; the dictionary we accept is ASCII either way
        String header = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeaderParser.Dict d = NpyHeaderParser.parse(header, name);
        Dtype dtype = Dtype.ofCode(d.descr().length() >= 2 ? d.descr().substring(1) : "");
        char orderChar = d.descr().isEmpty() ? '?' : d.descr().charAt(0);
        if (dtype == null || "<>|=".indexOf(orderChar) < 0) {
            throw new HavException(name, "unsupported dtype '" + d.descr() + "'" + dtypeHint(d.descr()),
                    "save as float32, float64, bool or an integer type (X.astype(np.float32))");
        }
        if (orderChar == '|' && dtype.size() > 1) {
            throw new HavException(name, "dtype '" + d.descr() + "' has no byte order", REWRITE);
        }
        ByteOrder order = orderChar == '>' ? ByteOrder.BIG_ENDIAN
                : orderChar == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        int[] shape = checkShape(d.shape(), name);
        long count = 1;
        for (int s : shape) {
            count *= s; // checkShape proved the product fits
        }
        long dataBytes;
        try {
            dataBytes = Math.multiplyExact(count, dtype.size());
        } catch (ArithmeticException e) {
            throw new HavException(name, "shape " + shapeString(shape) + " of " + dtype.numpyName()
                    + " declares more bytes than a file can hold", REWRITE);
        }
        long dataOffset = headerStart + headerLen;
        long held = totalSize - dataOffset;
        Header h = new Header(name, major, dtype, order, d.fortranOrder(), shape, dataOffset);
        if (held < dataBytes) {
            throw new HavException(name, "truncated: the header declares " + h.describe() + " (" + dataBytes
                    + " bytes of data), the file holds " + held, REWRITE);
        }
        if (held > dataBytes) {
            throw new HavException(name, (held - dataBytes) + " bytes more than the header declares ("
                    + h.describe() + ", " + dataBytes + " bytes of data)", REWRITE);
        }
        return h;
    }

    private static String dtypeHint(String descr) {
        String code = descr.length() >= 2 ? descr.substring(1) : descr;
        if (code.equals("f2")) {
            return " (float16)";
        }
        if (code.startsWith("O")) {
            return " (Python objects: reading them would mean unpickling)";
        }
        if (code.startsWith("U") || code.startsWith("S")) {
            return " (strings)";
        }
        if (code.startsWith("c")) {
            return " (complex numbers)";
        }
        return "";
    }

    private static int[] checkShape(long[] dims, String name) {
        if (dims.length > MAX_RANK) {
            throw new HavException(name, dims.length + " dimensions (numpy allows at most " + MAX_RANK + ")", REWRITE);
        }
        int[] shape = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long v = dims[i];
            if (v < 0) {
                throw new HavException(name, "negative dimension " + v + " in the shape", REWRITE);
            }
            if (v > Integer.MAX_VALUE) {
                throw new HavException(name, "dimension " + v + " is larger than 2^31 - 1, more than one Java array"
                        + " can index", "split the array into smaller files");
            }
            shape[i] = (int) v;
            try {
                count = Math.multiplyExact(count, v);
            } catch (ArithmeticException e) {
                throw new HavException(name, "the shape's element count overflows 64 bits", REWRITE);
            }
        }
        return shape;
    }

    private static void readFully(ReadableByteChannel in, ByteBuffer buf, String name, String truncated,
                                  MessageDigest digest) {
        int start = buf.position();
        try {
            while (buf.hasRemaining()) {
                if (in.read(buf) < 0) {
                    throw new HavException(name, truncated, null);
                }
            }
        } catch (IOException e) {
            throw new HavException(name, "cannot read (" + e.getMessage() + ")", "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
        if (digest != null) {
            digest.update(buf.array(), buf.arrayOffset() + start, buf.position() - start);
        }
    }

    private static void closeQuietly(ReadableByteChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost when closing fails
        }
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (i + 1 < shape.length || shape.length == 1) {
                sb.append(shape.length == 1 ? "," : ", ");
            }
        }
        return sb.append(')').toString();
    }

    // ------------------------------------------------------------------------------------------ writing

    /** Writes a float32 2-D array atomically. */
    public static void write(Path file, FloatMatrix m) {
        ByteBuffer body = ByteBuffer.allocate(m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(m.data());
        writeRaw(file, "<f4", new int[] {m.rows(), m.cols()}, body.array());
    }

    /** Writes an int32 1-D array atomically. */
    public static void write(Path file, int[] values) {
        ByteBuffer body = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asIntBuffer().put(values);
        writeRaw(file, "<i4", new int[] {values.length}, body.array());
    }

    /** Writes a float64 1-D array atomically. */
    public static void write(Path file, double[] values) {
        ByteBuffer body = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        body.asDoubleBuffer().put(values);
        writeRaw(file, "<f8", new int[] {values.length}, body.array());
    }

    /** Writes raw values of the given dtype (e.g. "|u1", ">f4") and shape atomically, in C order. */
    public static void writeRaw(Path file, String dtype, int[] shape, byte[] body) {
        byte[] h = header(dtype, false, shape);
        AtomicFiles.write(file, out -> {
            out.write(h);
            out.write(body);
        });
    }

    /** The bytes of a version 1.0 header (magic, version, length, padded dictionary). */
    public static byte[] header(String dtype, boolean fortranOrder, int[] shape) {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shapeString(shape) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(pad)).append('\n');
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(MAGIC);
        head.write(1);
        head.write(0);
        int len = header.length();
        head.write(len & 0xff);
        head.write((len >> 8) & 0xff);
        head.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        return head.toByteArray();
    }
}
