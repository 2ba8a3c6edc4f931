package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.hiddenactivity.cli.Main;
import org.hiddenactivity.core.OnnxruntimeGuard;
import org.hiddenactivity.core.Warnings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executor processes (Spark's local-cluster mode, started inside the test from the test's class path instead of
 * a Spark install): tasks land on both, and hav's extraction across them gives the local run's bytes.
 * <p>
 * The executors get the class path as one manifest-only jar: with the class path itself on their command line they
 * pass the length at which onnxruntime crashes the JVM ({@link OnnxruntimeGuard}).
 */
class LocalClusterTest {
    private static final String MASTER = "local-cluster[2,1,1024]";

    @Test
    void twoExecutorProcessesWithShortCommandLines() throws Exception {
        try (JavaSparkContext jsc = new JavaSparkContext(executorSettings(new SparkConf())
                .setAppName("hav local-cluster test").setMaster(MASTER).set("spark.ui.enabled", "false"))) {
            List<String> seen = jsc.parallelize(List.of(1, 2, 3, 4), 4).map(i -> {
                Thread.sleep(500);
                return ProcessHandle.current().pid() + " " + Files.readAllBytes(Path.of("/proc/self/cmdline")).length;
            }).collect();
            Map<String, Integer> commandLineBytes = new HashMap<>();
            for (String s : seen) {
                commandLineBytes.put(s.split(" ")[0], Integer.parseInt(s.split(" ")[1]));
            }
            System.out.println("executor pid -> command line bytes " + commandLineBytes);
            assertEquals(2, commandLineBytes.size());
            String self = ProcessHandle.current().pid() + "";
            assertTrue(!commandLineBytes.containsKey(self), "tasks ran in the executor processes, not the test's");
            commandLineBytes.values().forEach(n -> assertTrue(n < OnnxruntimeGuard.MAX_COMMAND_LINE_BYTES, n
                    + " bytes: onnxruntime would crash this executor"));
        }
    }

    @Test
    void extractionAcrossTwoExecutorsEqualsTheLocalRun(@TempDir Path tmp) throws Exception {
        Path local = tmp.resolve("local.npy");
        Path spread = tmp.resolve("cluster.npy");
        String[] common = {"activations", "--model", "mnist_mlp", "--layer", "2", "--epoch", "20", "--size", "1200",
                "--cache-dir", tmp.resolve("cache").toString(), "--fresh", "-q"};
        assertEquals(0, Main.run(DistributedActivationsTest.concat(common, "--out", local.toString())));
        // hav activations --spark takes Spark's settings as spark.* system properties (as from HAV_JAVA_OPTS)
        Map<String, String> settings = new HashMap<>();
        for (scala.Tuple2<String, String> kv : executorSettings(new SparkConf(false)).getAll()) {
            settings.put(kv._1(), kv._2());
        }
        settings.forEach(System::setProperty);
        try (Warnings.Recorder r = Warnings.record()) {
            // three partitions of 500, 500 and 200 rows on two executors of one task slot each
            assertEquals(0, Main.run(DistributedActivationsTest.concat(common, "--out", spread.toString(), "--spark",
                    "--master", MASTER, "--partitions", "3")));
            assertTrue(r.messages().stream().anyMatch(m -> m.text().matches("activations on Spark: 3 partition\\(s\\)"
                    + " on 2 executor\\(s\\) \\[0, 1\\], 2 onnxruntime session\\(s\\) opened")), r.messages().toString());
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
        for (String suffix : new String[] {"", ".pred", ".labels"}) {
            Path a = tmp.resolve("local" + suffix + ".npy");
            Path b = tmp.resolve("cluster" + suffix + ".npy");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), b.getFileName().toString());
        }
        assertEquals(1200L * 256 * 4, Files.size(spread) - DistributedActivationsTest.headerBytes(spread));
    }

    @Test
    void aBatchAcrossTwoExecutors(@TempDir Path tmp) throws Exception {
        Path plan = tmp.resolve("plan.json");
        List<String> options = List.of("--size", "200", "--projection", "pca", "--image-size", "256", "--threads",
                "1", "--cache-dir", tmp.resolve("cache").toString());
        Files.writeString(plan, "{\"runs\": [{\"name\": \"a\", \"model\": \"mnist_mlp\", \"command\": \"project\","
                + " \"options\": " + BatchTest.JSON.writeValueAsString(options) + "}, {\"name\": \"b\", \"model\":"
                + " \"mnist_mlp\", \"command\": \"project\", \"options\": " + BatchTest.JSON.writeValueAsString(options)
                + "}, {\"name\": \"bad\", \"model\": \"no_such_model\"}]}");
        Map<String, String> settings = new HashMap<>();
        for (scala.Tuple2<String, String> kv : executorSettings(new SparkConf(false)).getAll()) {
            settings.put(kv._1(), kv._2());
        }
        settings.forEach(System::setProperty);
        Batch.Outcome o;
        try {
            o = Batch.execute(new org.hiddenactivity.cli.BatchCommand.Request(plan.toString(),
                    tmp.resolve("batch").toString(), MASTER, false, true, true));
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
        assertEquals(List.of("done", "done", "failed"), o.results().stream().map(RunResult::status).toList());
        // two runs of the same options in two executor processes: the same projection files, byte for byte
        List<Path> arrays;
        try (java.util.stream.Stream<Path> files = Files.walk(tmp.resolve("batch/runs/a"))) {
            arrays = files.filter(f -> f.toString().endsWith(".npy")).toList();
        }
        assertTrue(!arrays.isEmpty(), "the project run wrote its points");
        for (Path f : arrays) {
            Path other = tmp.resolve("batch/runs/b").resolve(tmp.resolve("batch/runs/a").relativize(f));
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), f.toString());
        }
        assertTrue(Files.isRegularFile(tmp.resolve("batch/index.html")));
    }

    /**
     * The executors' class path and JVM options (Spark adds its Java 17 module openings to the executors' itself). The worker builds each executor's class path from SPARK_HOME/jars
     * (the pom points SPARK_HOME at an empty target/spark-home) and spark.executor.extraClassPath: here one
     * manifest-only jar naming the test's class path, so the executor's command line stays short.
     */
    static SparkConf executorSettings(SparkConf conf) throws Exception {
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(home.resolve("jars"));
        return conf.set("spark.executor.extraClassPath", classPathJar(home.resolve("classpath.jar")).toString())
                .set("spark.executor.extraJavaOptions", "-Dhav.home=" + System.getProperty("hav.home"));
    }

    /** A jar holding only a manifest whose Class-Path is this JVM's class path (what surefire itself does). */
    static Path classPathJar(Path jar) throws Exception {
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path tmp = Files.createTempFile(jar.getParent(), "classpath", ".jar");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }
}
