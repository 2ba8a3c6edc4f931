package org.hiddenactivity.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.AtomicFiles;

/** Writes an analysis' numbers and provenance as one JSON file (atomically). */
public final class Results {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Results() {}

    public static void writeJson(Path file, Map<String, Object> numbers, RunProvenance provenance) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("results", numbers);
        doc.put("provenance", provenance.asMap());
        AtomicFiles.writeString(file, toJson(doc));
    }

    public static String toJson(Object value) {
        try {
            // a metric that cannot be computed is null with a reason, never the string "NaN"
            return JSON.writeValueAsString(org.hiddenactivity.core.JsonValues.finite(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise results: " + e.getMessage(), e);
        }
    }
}
