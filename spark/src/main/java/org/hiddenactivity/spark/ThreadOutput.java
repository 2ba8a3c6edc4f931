package org.hiddenactivity.spark;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what one thread prints on {@code System.out}: a Spark executor runs several tasks in one JVM, and each
 * run's {@code hav ... --json} answer must reach its own task, not the console.
 */
final class ThreadOutput {
    private static final ThreadLocal<ByteArrayOutputStream> CAPTURE = new ThreadLocal<>();

    private ThreadOutput() {}

    /** Routes System.out through this class once per JVM (other threads keep printing where they did). */
    private static synchronized void install() {
        if (System.out instanceof Routed) {
            return;
        }
        PrintStream original = System.out;
        System.setOut(new Routed(new OutputStream() {
            @Override
            public void write(int b) {
                ByteArrayOutputStream c = CAPTURE.get();
                if (c != null) {
                    c.write(b);
                } else {
                    original.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                ByteArrayOutputStream c = CAPTURE.get();
                if (c != null) {
                    c.write(b, off, len);
                } else {
                    original.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        }));
    }

    /** Runs {@code body} and returns its result with what this thread printed meanwhile. */
    static <T> Captured<T> capture(Supplier<T> body) {
        install();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CAPTURE.set(buffer);
        try {
            T value = body.get();
            System.out.flush();
            return new Captured<>(value, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            CAPTURE.remove();
        }
    }

    record Captured<T>(T value, String printed) {}

    private static final class Routed extends PrintStream {
        Routed(OutputStream out) {
            super(out, true, StandardCharsets.UTF_8);
        }
    }
}
