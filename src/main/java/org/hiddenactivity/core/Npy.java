package org.hiddenactivity.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1 to 3, C order).
 * Written here because the two .npy libraries on Maven Central are unmaintained (see docs/libraries.md).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** A parsed array: its shape and its values widened to double. */
    public record Array(int[] shape, String dtype, double[] values) {
        public long size() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** Reads a 2-D numeric array as floats; a clear error names the file when it is not 2-D or not numeric. */
    public static FloatMatrix readMatrix(Path file) {
        Array a = read(file);
        if (a.shape().length != 2) {
            throw new HavException(file.toString(), "expected a 2-D array (observations x features), found shape "
                    + shapeString(a.shape()), "save it with numpy as X.reshape(len(X), -1)");
        }
        float[] out = new float[a.values().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.values()[i];
        }
        return new FloatMatrix(a.shape()[0], a.shape()[1], out);
    }

    /** Reads a 1-D integer array (labels); float values must be whole numbers. */
    public static int[] readLabels(Path file) {
        Array a = read(file);
        if (a.shape().length != 1) {
            throw new HavException(file.toString(), "expected a 1-D array of labels, found shape " + shapeString(a.shape()),
                    "save the labels with numpy as y.ravel()");
        }
        int[] out = new int[a.values().length];
        for (int i = 0; i < out.length; i++) {
            double v = a.values()[i];
            if (v != Math.rint(v)) {
                throw new HavException(file.toString(), "label " + i + " is " + v + ", not a whole number",
                        "give class indices 0..C-1");
            }
            out[i] = (int) v;
        }
        return out;
    }

    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new HavException(file.toString(), "file not found", "check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    static Array parse(byte[] bytes, String name) {
        String notNpy = "use numpy.save to write it";
        if (bytes.length < 10) {
            throw new HavException(name, "not a .npy file (" + bytes.length + " bytes)", notNpy);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new HavException(name, "not a .npy file (wrong magic bytes)", notNpy);
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6] & 0xff;
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new HavException(name, "unsupported .npy format version " + major, notNpy);
        }
        if (headerStart + (long) headerLen > bytes.length) {
            throw new HavException(name, "truncated .npy header", "the file is incomplete; write it again");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new HavException(name, "unreadable .npy header: " + header.trim(), notNpy);
        }
        if (f.group(1).equals("True")) {
            throw new HavException(name, "array is in Fortran order", "save numpy.ascontiguousarray(X)");
        }
        String descr = d.group(1);
        int[] shape = parseShape(s.group(1));
        long count = 1;
        for (int v : shape) {
            count *= v;
        }
        int itemSize = itemSize(descr, name);
        int dataStart = headerStart + headerLen;
        if (dataStart + count * itemSize != bytes.length) {
            throw new HavException(name, "data holds " + (bytes.length - dataStart) + " bytes, shape "
                    + shapeString(shape) + " of " + descr + " needs " + (count * itemSize),
                    "the file is truncated or corrupt; write it again");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new HavException(name, "array too large (" + count + " values)", "split it");
        }
        if (descr.startsWith(">")) {
            buf.order(ByteOrder.BIG_ENDIAN);
        }
        double[] values = new double[(int) count];
        buf.position(dataStart);
        String kind = descr.substring(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (kind) {
                case "f4" -> buf.getFloat();
                case "f8" -> buf.getDouble();
                case "i1" -> buf.get();
                case "u1", "b1" -> buf.get() & 0xff;
                case "i2" -> buf.getShort();
                case "u2" -> buf.getShort() & 0xffff;
                case "i4" -> buf.getInt();
                case "u4" -> buf.getInt() & 0xffffffffL;
                case "i8", "u8" -> buf.getLong();
                default -> throw new IllegalStateException(kind);
            };
        }
        return new Array(shape, descr, values);
    }

    private static int itemSize(String descr, String name) {
        if (descr.length() >= 3) {
            switch (descr.substring(1)) {
                case "f4", "i4", "u4": return 4;
                case "f8", "i8", "u8": return 8;
                case "i2", "u2": return 2;
                case "i1", "u1", "b1": return 1;
                default: break;
            }
        }
        throw new HavException(name, "unsupported dtype '" + descr + "'", "save as float32, float64 or an integer type");
    }

    private static int[] parseShape(String inner) {
        String t = inner.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        int n = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Integer.parseInt(p.trim());
            }
        }
        return java.util.Arrays.copyOf(shape, n);
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

    /** Writes raw little-endian values of the given dtype and shape atomically. */
    public static void writeRaw(Path file, String dtype, int[] shape, byte[] body) {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
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
        byte[] h = head.toByteArray();
        AtomicFiles.write(file, out -> {
            out.write(h);
            out.write(body);
        });
    }
}
