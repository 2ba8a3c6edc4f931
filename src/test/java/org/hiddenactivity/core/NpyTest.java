package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader on well-formed variants (read correctly) and hostile files (refused, naming the file). */
class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file of the given version with a literal header dictionary (padded with spaces and a newline). */
    static byte[] npy(int version, String dict, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        byte[] text = (dict + " ".repeat(7) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            len.putShort((short) text.length);
        } else {
            len.putInt(text.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(text);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
                + ", }";
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static String refused(Path p) {
        HavException e = assertThrows(HavException.class, () -> Npy.readMatrix(p));
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    // ------------------------------------------------------------------ read correctly

    @Test
    void roundTripsWhatItWrites() {
        FloatMatrix m = new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, -6.5f});
        Npy.write(dir.resolve("m.npy"), m);
        assertArrayEquals(m.data(), Npy.readMatrix(dir.resolve("m.npy")).data());
        Npy.write(dir.resolve("l.npy"), new int[] {0, 7, 2});
        assertArrayEquals(new int[] {0, 7, 2}, Npy.readLabels(dir.resolve("l.npy")));
    }

    @Test
    void bigEndianVersion2And3AndPython2ShapesAreReadCorrectly() throws IOException {
        float[] v = {1.5f, -2, 3, 4, 5, 6};
        Path be = write("be.npy", npy(1, dict(">f4", false, "(2, 3)"), floats(ByteOrder.BIG_ENDIAN, v)));
        assertArrayEquals(v, Npy.readMatrix(be).data());
        Path v2 = write("v2.npy", npy(2, dict("<f4", false, "(2, 3)"), floats(ByteOrder.LITTLE_ENDIAN, v)));
        assertArrayEquals(v, Npy.readMatrix(v2).data());
        Path v3 = write("v3.npy", npy(3, dict("<f4", false, "(2, 3)"), floats(ByteOrder.LITTLE_ENDIAN, v)));
        assertArrayEquals(v, Npy.readMatrix(v3).data());
        // numpy under Python 2 wrote long literals; numpy still reads them
        Path py2 = write("py2.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
                floats(ByteOrder.LITTLE_ENDIAN, v)));
        assertArrayEquals(v, Npy.readMatrix(py2).data());
        // keys in another order, double quotes, no trailing comma
        Path order = write("order.npy", npy(1, "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<f4\"}",
                floats(ByteOrder.LITTLE_ENDIAN, v)));
        assertArrayEquals(v, Npy.readMatrix(order).data());
    }

    @Test
    void fortranOrderIsReorderedToRows() throws IOException {
        // the 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column
        Path f = write("f.npy", npy(1, dict("<f4", true, "(2, 3)"), floats(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6)));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.readMatrix(f).data());
        // 3-D: element (i, j, k) of shape (2, 2, 3) is 100 i + 10 j + k; Fortran offset i + 2 j + 4 k
        float[] stored = new float[12];
        float[] c = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    stored[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
                    c[(i * 2 + j) * 3 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        try (Npy.Reader r = Npy.Reader.of(npy(1, dict("<f4", true, "(2, 2, 3)"),
                floats(ByteOrder.LITTLE_ENDIAN, stored)), "f3.npy")) {
            assertArrayEquals(c, r.readAllFloats());
        }
    }

    @Test
    void everyIntegerAndBoolDtypeReads() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN).putLong(5).putLong(0).putLong(3);
        assertArrayEquals(new int[] {5, 0, 3}, Npy.readLabels(write("i8.npy", npy(1, dict(">i8", false, "(3,)"),
                b.array()))));
        assertArrayEquals(new int[] {1, 0, 1}, Npy.readLabels(write("b1.npy", npy(1, dict("|b1", false, "(3,)"),
                new byte[] {1, 0, 1}))));
        assertArrayEquals(new int[] {200, 1}, Npy.readLabels(write("u1.npy", npy(1, dict("|u1", false, "(2,)"),
                new byte[] {(byte) 200, 1}))));
        ByteBuffer u2 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 60000).putShort((short) 2);
        assertArrayEquals(new int[] {60000, 2}, Npy.readLabels(write("u2.npy", npy(1, dict("<u2", false, "(2,)"),
                u2.array()))));
        ByteBuffer f8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(4.0).putDouble(1.0);
        assertArrayEquals(new int[] {4, 1}, Npy.readLabels(write("f8.npy", npy(1, dict("<f8", false, "(2,)"),
                f8.array()))));
    }

    /** The same arrays written by numpy itself (skipped where /usr/bin/python3 has no numpy). */
    @Test
    void readsWhatNumpyWrites() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        String script = String.join("\n",
                "import numpy as np, sys",
                "d = sys.argv[1]",
                "a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7",
                "np.save(d + '/c.npy', a)",
                "np.save(d + '/f.npy', np.asfortranarray(a))",
                "np.save(d + '/be.npy', a.astype('>f8'))",
                "np.lib.format.write_array(open(d + '/v2.npy', 'wb'), a, version=(2, 0))",
                "np.save(d + '/y.npy', np.array([3, 0, 9], dtype=np.int64))",
                "");
        Process p = new ProcessBuilder(python.toString(), "-c", script, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "numpy not usable: " + out);
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++) {
            expected[i] = i / 7f;
        }
        for (String name : List.of("c", "f", "be", "v2")) {
            try (Npy.Reader r = Npy.Reader.open(dir.resolve(name + ".npy"))) {
                assertArrayEquals(new int[] {2, 3, 4}, r.header().shape(), name);
                float[] got = r.readAllFloats();
                for (int i = 0; i < 24; i++) {
                    assertEquals(expected[i], got[i], 1e-6f, name + " element " + i);
                }
            }
        }
        assertArrayEquals(new int[] {3, 0, 9}, Npy.readLabels(dir.resolve("y.npy")));
    }

    // ------------------------------------------------------------------ refused clearly

    @Test
    void hostileHeadersAreRefusedWithTheFileNamed() throws IOException {
        byte[] body = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        // version 2 with a header length that is negative as a signed int
        byte[] v2 = npy(2, dict("<f4", false, "(2, 2)"), body);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -10);
        assertTrue(refused(write("neg.npy", v2)).contains("header claims 4294967286 bytes"));
        assertTrue(refused(write("negdim.npy", npy(1, dict("<f4", false, "(-2, 2)"), body)))
                .contains("negative dimension -2"));
        assertTrue(refused(write("huge.npy", npy(1, dict("<f4", false, "(3000000000, 1)"), body)))
                .contains("dimension 3000000000 is larger than 2^31 - 1"));
        assertTrue(refused(write("overflow.npy", npy(1, dict("<f4", false,
                "(2147483647, 2147483647, 2147483647)"), body))).contains("overflows 64 bits"));
        assertTrue(refused(write("bytesoverflow.npy", npy(1, dict("<f8", false,
                "(2147483647, 2147483647, 2147483647)"), body))).contains("overflows"));
        assertTrue(refused(write("nodigits.npy", npy(1, dict("<f4", false, "(99999999999999999999, 1)"), body)))
                .contains("does not fit in 64 bits"));
        assertTrue(refused(write("big.npy", npy(1, dict("<f4", false, "(100000, 100000)"), body)))
                .contains("truncated"));
        assertTrue(refused(write("trailing.npy", npy(1, dict("<f4", false, "(1, 2)"), body)))
                .contains("8 bytes more than the header declares"));
        assertTrue(refused(write("f2.npy", npy(1, dict("<f2", false, "(2, 1)"), new byte[4])))
                .contains("float16"));
        assertTrue(refused(write("obj.npy", npy(1, dict("|O", false, "(2, 1)"), new byte[16])))
                .contains("unpickling"));
        assertTrue(refused(write("struct.npy", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False,"
                + " 'shape': (2,), }", new byte[8]))).contains("structured dtype"));
        assertTrue(refused(write("extra.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2),"
                + " 'evil': __import__('os'), }", body))).contains("unexpected key 'evil'"));
        assertTrue(refused(write("missing.npy", npy(1, "{'descr': '<f4', 'shape': (2, 2), }", body)))
                .contains("missing key 'fortran_order'"));
        assertTrue(refused(write("twice.npy", npy(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False,"
                + " 'shape': (2, 2), }", body))).contains("appears twice"));
        assertTrue(refused(write("noorder.npy", npy(1, dict("|f4", false, "(2, 2)"), body)))
                .contains("has no byte order"));
        assertTrue(refused(write("version.npy", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0, 0, 0}))
                .contains("format version 9.0"));
        assertTrue(refused(write("junk.npy", "not numpy at all".getBytes(StandardCharsets.US_ASCII)))
                .contains("wrong magic"));
        assertTrue(refused(write("empty.npy", new byte[0])).contains("not a .npy file (0 bytes)"));
        byte[] whole = npy(1, dict("<f4", false, "(2, 2)"), body);
        assertTrue(refused(write("cut.npy", java.util.Arrays.copyOf(whole, 20))).contains("truncated .npy header"));
        assertTrue(refused(write("cutdata.npy", java.util.Arrays.copyOf(whole, whole.length - 3)))
                .contains("truncated"));
        assertTrue(refused(write("rank.npy", npy(1, dict("<f4", false, "(4,)"), body))).contains("2-D"));
    }

    @Test
    void labelsOutsideTheIntegersAreRefusedNotClamped() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(1e12).putDouble(0);
        Path huge = write("huge.npy", npy(1, dict("<f8", false, "(3,)"), b.array()));
        String m = assertThrows(HavException.class, () -> Npy.readLabels(huge)).getMessage();
        assertTrue(m.contains("label 1 is 1.00000e+12, too large"), m);
        ByteBuffer neg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(2).putLong(-5);
        Path negative = write("neg.npy", npy(1, dict("<i8", false, "(2,)"), neg.array()));
        m = assertThrows(HavException.class, () -> Npy.readLabels(negative)).getMessage();
        assertTrue(m.contains("label 1 is -5, negative"), m);
        ByteBuffer big = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1);
        Path unsigned = write("u8.npy", npy(1, dict("<u8", false, "(1,)"), big.array()));
        m = assertThrows(HavException.class, () -> Npy.readLabels(unsigned)).getMessage();
        assertTrue(m.contains("too large"), m);
        ByteBuffer frac = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN);
        Path fraction = write("frac.npy", npy(1, dict("<f4", false, "(2,)"), frac.array()));
        m = assertThrows(HavException.class, () -> Npy.readLabels(fraction)).getMessage();
        assertTrue(m.contains("label 0 is 0.5, not a whole number"), m);
    }

    @Test
    void onlyRegularFilesAreOpenedAndAFifoNeverBlocks() throws Exception {
        String m = assertThrows(HavException.class, () -> Npy.readMatrix(dir)).getMessage();
        assertTrue(m.contains("is a folder"), m);
        m = assertThrows(HavException.class, () -> Npy.readMatrix(dir.resolve("absent.npy"))).getMessage();
        assertTrue(m.contains("not found"), m);
        Path zero = dir.resolve("zero.npy");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        m = assertThrows(HavException.class, () -> Npy.readMatrix(zero)).getMessage();
        assertTrue(m.contains("not a regular file") && m.contains("/dev/zero"), m);
        Path fifo = dir.resolve("fifo.npy");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo not available");
        // opening a FIFO for reading blocks until a writer comes: the type check must come first
        String fm = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(HavException.class, () -> Npy.readMatrix(fifo)).getMessage());
        assertTrue(fm.contains("not a regular file (a FIFO"), fm);
    }

    @Test
    void memoryForWhatTheHeaderDeclaresIsCheckedBeforeAllocating() {
        long max = Runtime.getRuntime().maxMemory();
        HavException e = assertThrows(HavException.class, () -> InputFiles.requireHeap(max + 1, "x.npy", "reading it"));
        assertEquals(HavException.EXIT_RUNTIME, e.exitCode());
        assertTrue(e.getMessage().startsWith("x.npy: reading it needs") && e.getMessage().contains("lower --size"),
                e.getMessage());
    }

    @Test
    void oneHotLabelsAreToldToUseArgmaxNotRavel() {
        // issue 18, item 11: one-hot labels got "save them as y.ravel()", which makes N x K wrong labels
        byte[] body = new byte[6 * 3 * 4];
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 3; c++) {
                b.putInt(c == i % 3 ? 1 : 0);
            }
        }
        Npy.writeRaw(dir.resolve("onehot.npy"), "<i4", new int[] {6, 3}, body);
        HavException e = assertThrows(HavException.class, () -> Npy.readLabels(dir.resolve("onehot.npy")));
        assertTrue(e.getMessage().contains("y.argmax(1)") && !e.getMessage().contains("ravel"), e.getMessage());
        Npy.writeRaw(dir.resolve("column.npy"), "<i4", new int[] {6, 1}, java.util.Arrays.copyOf(body, 24));
        e = assertThrows(HavException.class, () -> Npy.readLabels(dir.resolve("column.npy")));
        assertTrue(e.getMessage().contains("y.ravel()"), e.getMessage());
    }
}
