package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    @Test
    void nonFiniteNumbersBecomeNullWithAReasonAndAGivenReasonStays() {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("kl_divergence", Double.NaN);
        layer.put("trustworthiness", 0.9);
        layer.put("hit", Double.POSITIVE_INFINITY);
        layer.put("hit_reason", "no labels");
        layer.put("history", new double[] {1.5, Double.NaN});
        Map<String, Object> doc = Map.of("layers", List.of(layer));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("kl_divergence", null);
        expected.put("kl_divergence_reason", JsonValues.NOT_COMPUTABLE);
        expected.put("trustworthiness", 0.9);
        expected.put("hit", null);
        expected.put("hit_reason", "no labels");
        expected.put("history", Arrays.asList(1.5, null));
        assertEquals(Map.of("layers", List.of(expected)), JsonValues.finite(doc));
    }
}
