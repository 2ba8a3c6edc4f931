package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hav script starts `hav batch` with spark/jvm-options; the tests run with the pom's list: they must agree. */
class SparkJvmOptionsTest {
    @Test
    void scriptOptionsAreTheTestJvmOptions() throws Exception {
        String[] script = Files.readString(Path.of(System.getProperty("hav.home"), "spark", "jvm-options")).trim()
                .split("\\s+");
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(script.length > 10);
        for (String option : script) {
            assertTrue(jvm.contains(option), option + " is in spark/jvm-options but not in the pom's argLine");
        }
    }
}
