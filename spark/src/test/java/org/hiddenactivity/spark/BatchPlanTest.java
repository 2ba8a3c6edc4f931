package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

/** The plan is checked before Spark starts: every mistake names the plan, the run and the fix. */
class BatchPlanTest {
    @Test
    void readsRunsWithDefaults() {
        BatchPlan p = BatchPlan.parse("{\"runs\": [{\"name\": \"a\", \"model\": \"mnist_mlp\", \"options\": [\"--size\","
                + " 300]}, {\"name\": \"b\", \"model\": \"m\", \"command\": \"project\"}]}", "plan.json");
        assertEquals(2, p.runs().size());
        assertEquals("report", p.runs().get(0).command());
        assertEquals(List.of("--size", "300"), p.runs().get(0).options());
        assertEquals(List.of("project", "--model", "m", "--out", "X", "--json"), p.runs().get(1).argv("X"));
    }

    @Test
    void refusesMistakes() {
        assertError("{\"runs\": [", "not valid JSON");
        assertError("{\"run\": []}", "no \"runs\" list");
        assertError("{\"runs\": []}", "no runs");
        assertError("{\"runs\": [{\"model\": \"m\"}]}", "\"name\" is missing");
        assertError("{\"runs\": [{\"name\": \"../x\", \"model\": \"m\"}]}", "not a plain folder name");
        assertError("{\"runs\": [{\"name\": \"a\", \"model\": \"m\"}, {\"name\": \"a\", \"model\": \"m\"}]}", "used twice");
        assertError("{\"runs\": [{\"name\": \"a\", \"model\": \"m\", \"options\": [\"--out\", \"x\"]}]}", "set by the batch");
        assertError("{\"runs\": [{\"name\": \"a\", \"model\": \"m\", \"command\": \"diff\"}]}", "cannot run in a batch");
        assertError("{\"runs\": [{\"name\": \"a\", \"model\": \"m\", \"sizes\": 3}]}", "unknown field \"sizes\"");
    }

    private static void assertError(String plan, String expected) {
        HavException e = assertThrows(HavException.class, () -> BatchPlan.parse(plan, "plan.json"));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("plan.json"), e.getMessage());
        assertTrue(e.fix() != null && !e.fix().isBlank());
    }
}
