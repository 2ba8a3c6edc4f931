package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Two executor processes (Spark's local-cluster mode, started from the test's class path instead of a Spark
 * install): tasks land on both. (hav's own work in such executor processes does not run yet: see docs/scale.md.)
 */
class LocalClusterTest {
    @Test
    void twoExecutorProcesses() throws Exception {
        String jvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore") || a.startsWith("-Dio.netty")
                        || a.startsWith("-Djdk.reflect")).toList());
        // the worker builds each executor's class path from SPARK_HOME/jars (set by the pom): an empty one, the
        // test's class path given as the executors' extra class path; the worker's files go to SPARK_HOME/work
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(home.resolve("jars"));
        SparkConf conf = new SparkConf().setAppName("hav local-cluster test").setMaster("local-cluster[2,1,1024]")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", jvm + " -Dhav.home=" + System.getProperty("hav.home"));
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            List<String> pids = jsc.parallelize(List.of(1, 2, 3, 4), 4)
                    .map(i -> { Thread.sleep(500); return ProcessHandle.current().pid() + ""; }).collect();
            Set<String> distinct = new HashSet<>(pids);
            System.out.println("executor pids " + distinct);
            assertEquals(2, distinct.size());

        }
    }
}
