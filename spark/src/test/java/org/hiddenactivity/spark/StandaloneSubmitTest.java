package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.LocalSparkCluster;
import org.hiddenactivity.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hav's CLI submitted as an application to a standalone cluster, as on a real one: a standalone Master and two
 * Workers (Spark's own classes behind start-master.sh and start-worker.sh, started in this JVM), the driver a separate
 * process started by {@code SparkSubmit} (what the spark-submit script runs) with the master's spark:// URL and
 * settings in a properties file; the extraction across the two executors equals the local run byte for byte.
 */
class StandaloneSubmitTest {
    @Test
    void submittedExtractionOnAStandaloneMasterEqualsTheLocalRun(@TempDir Path tmp) throws Exception {
        Path local = tmp.resolve("local.npy");
        Path submitted = tmp.resolve("submitted.npy");
        String[] common = {"activations", "--model", "mnist_mlp", "--layer", "2", "--epoch", "20", "--size", "1200",
                "--cache-dir", tmp.resolve("cache").toString(), "--fresh", "-q"};
        assertEquals(0, Main.run(DistributedActivationsTest.concat(common, "--out", local.toString())));

        SparkConf executors = LocalClusterTest.executorSettings(new SparkConf(false));
        Path jar = Path.of(executors.get("spark.executor.extraClassPath"));
        LocalSparkCluster cluster = LocalSparkCluster.apply(2, 1, 1024, new SparkConf(false));
        String master = cluster.start()[0];
        try {
            // spark-submit --properties-file: the settings stay off the driver's command line
            Path properties = tmp.resolve("spark.properties");
            List<String> lines = new ArrayList<>();
            for (scala.Tuple2<String, String> kv : executors.getAll()) {
                lines.add(kv._1() + " " + kv._2());
            }
            lines.add("spark.ui.enabled false");
            lines.add("spark.executor.memory 1g");
            Files.write(properties, lines);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx1g"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore")
                            || a.startsWith("-Dio.netty") || a.startsWith("-Djdk.reflect")).toList());
            command.addAll(List.of("-Dhav.home=" + System.getProperty("hav.home"), "-cp", jar.toString(),
                    "org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client",
                    "--properties-file", properties.toString(), "--class", Main.class.getName(), jar.toString()));
            command.addAll(List.of(DistributedActivationsTest.concat(common, "--out", submitted.toString(), "--spark",
                    "--partitions", "3")));
            Path log = tmp.resolve("driver.log");
            Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = driver.waitFor(8, TimeUnit.MINUTES);
            if (!finished) {
                driver.destroyForcibly();
            }
            String printed = Files.readString(log);
            assertTrue(finished, "the submitted driver did not finish:\n" + printed);
            assertEquals(0, driver.exitValue(), printed);
            assertTrue(printed.contains("on 2 executor(s) [0, 1]"), printed);
        } finally {
            cluster.stop();
        }
        for (String suffix : new String[] {"", ".pred", ".labels"}) {
            Path a = tmp.resolve("local" + suffix + ".npy");
            Path b = tmp.resolve("submitted" + suffix + ".npy");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), b.getFileName().toString());
        }
    }
}
