package org.hiddenactivity.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses, with a message, a process in which onnxruntime would crash the JVM. onnxruntime's environment creation
 * dies by SIGSEGV (no Java error, no hs_err file) once the process's command line ({@code /proc/self/cmdline}) nears
 * 4 KB: seen with onnxruntime 1.29 on Linux, where a long {@code -cp} list (Maven's test class path, Spark executors)
 * or a long argument is enough.
 */
public final class OnnxruntimeGuard {
    /** Longest command line let through, in bytes, with a margin below where the crash was seen. */
    public static final int MAX_COMMAND_LINE_BYTES = 3800;
    private static volatile Integer commandLineBytes;

    private OnnxruntimeGuard() {}

    /** Call before the first use of onnxruntime in this JVM; cheap after the first call. */
    public static void check() {
        int n = commandLineBytes();
        if (n > MAX_COMMAND_LINE_BYTES) {
            throw new HavException("this Java process's command line", n + " bytes long: onnxruntime crashes the JVM"
                    + " when the command line nears 4 KB, so hav does not start it", "shorten the command line: give"
                    + " the class path as a folder wildcard (DIR/*) or a manifest jar, as ./hav does, and keep long"
                    + " values out of the arguments (a file instead)", HavException.EXIT_RUNTIME, null);
        }
    }

    /** The length of {@code /proc/self/cmdline}, or 0 where there is none (not Linux). */
    static int commandLineBytes() {
        Integer n = commandLineBytes;
        if (n == null) {
            try {
                n = Files.readAllBytes(Path.of("/proc/self/cmdline")).length;
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                n = 0;
            }
            commandLineBytes = n;
        }
        return n;
    }
}
