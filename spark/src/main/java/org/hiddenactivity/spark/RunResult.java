package org.hiddenactivity.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one run of a batch, as the index records it. {@code status}: done, failed or skipped (complete
 * from an earlier batch with the same provenance). {@code answer} is the command's own --json answer, as text.
 */
public record RunResult(String name, String command, String model, String status, int exitCode, String message,
                        String fix, double seconds, int attempt, String provenanceKey, String batchId, String answer)
        implements Serializable {

    boolean ok() {
        return status.equals("done") || status.equals("skipped");
    }

    RunResult skipped() {
        return new RunResult(name, command, model, "skipped", exitCode, message, fix, seconds, attempt, provenanceKey,
                batchId, answer);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("command", command);
        m.put("model", model);
        m.put("status", status);
        m.put("exit_code", exitCode);
        m.put("message", message);
        m.put("fix", fix);
        m.put("seconds", seconds);
        m.put("attempt", attempt);
        m.put("provenance_key", provenanceKey);
        m.put("batch_id", batchId);
        m.put("output", ok() ? BatchFiles.RUNS + "/" + name : null);
        return m;
    }

    static RunResult fromMap(Map<String, Object> m, String answer) {
        return new RunResult((String) m.get("name"), (String) m.get("command"), (String) m.get("model"),
                (String) m.get("status"), ((Number) m.get("exit_code")).intValue(), (String) m.get("message"),
                (String) m.get("fix"), ((Number) m.get("seconds")).doubleValue(),
                ((Number) m.get("attempt")).intValue(), (String) m.get("provenance_key"), (String) m.get("batch_id"),
                answer);
    }
}
