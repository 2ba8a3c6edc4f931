package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * onnxruntime crashes the JVM (SIGSEGV, exit 139) once the process's command line nears 4 KB. A child JVM gets the
 * test class path through CLASSPATH (not on its command line), then a long -D value makes the command line long.
 */
class OnnxruntimeGuardTest {
    private static final String MAIN = "org.hiddenactivity.cli.Main";

    private record Run(int code, String output) {}

    private static Run child(boolean longCommandLine, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dhav.home=" + Path.of("").toAbsolutePath()));
        if (longCommandLine) {
            cmd.add("-Dhav.test.padding=" + "x".repeat(4200));
        }
        cmd.add(MAIN);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void aShortCommandLineRunsOnnxruntime() throws Exception {
        Run r = child(false, "info", "--json");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().matches("(?s).*\"onnxruntime\"\\s*:\\s*\"1\\.\\d+.*"), r.output());
    }

    @Test
    void aLongCommandLineGetsAMessageInsteadOfACrash(@TempDir Path out) throws Exception {
        Run info = child(true, "info", "--json");
        assertEquals(0, info.code(), "hav info must not crash: " + info.output());
        assertTrue(info.output().contains("onnxruntime crashes the JVM"), info.output());

        Run act = child(true, "activations", "--model", "mnist_mlp", "--layer", "1", "--epoch", "0", "--size", "10",
                "--cache-dir", out.resolve("cache").toString(), "--out", out.resolve("a.npy").toString(), "-q");
        assertEquals(HavException.EXIT_RUNTIME, act.code(), act.output());
        assertTrue(act.output().contains("command line") && act.output().contains("class path"), act.output());
    }

}
