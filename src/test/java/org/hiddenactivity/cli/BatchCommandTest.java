package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main jar lists hav batch and, without the Spark module on the class path, says how to build it. */
class BatchCommandTest {
    @Test
    void withoutTheSparkModuleItSaysHowToBuildIt() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("batch", "plan.json", "--out", "somewhere", "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(3, code);
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Spark module is not on the class path") && printed.contains("build-spark.sh"),
                printed);
    }

    @Test
    void missingPlanOrOutIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, Main.run("batch", "--out", "x"));
        assertEquals(Main.EXIT_USAGE, Main.run("batch", "plan.json"));
        assertEquals(0, Main.run("batch", "--help"));
    }
}
