package org.hiddenactivity.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.hiddenactivity.cli.Main;

/**
 * One run of a batch, executed on an executor: the same {@code Main.run} as {@code hav COMMAND ...} on the command
 * line, into a local temporary folder; then copied to {@code _staging/NAME.ATTEMPT} of the batch folder and committed
 * by one rename to {@code runs/NAME}. A retried or speculative attempt therefore never leaves a half or second copy.
 */
final class RunTask implements Function<BatchPlan.Run, RunResult> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Test hook: a run of this name fails its first attempt after staging, before the commit (an executor lost). */
    static final String CRASH_PROPERTY = "hav.batch.test.crash-after-staging";

    private final String batchDir;
    private final String batchId;
    private final Map<String, String> provenanceKeys;
    private final String crashRun;

    RunTask(String batchDir, String batchId, Map<String, String> provenanceKeys) {
        this.batchDir = batchDir;
        this.batchId = batchId;
        this.provenanceKeys = new LinkedHashMap<>(provenanceKeys);
        this.crashRun = System.getProperty(CRASH_PROPERTY);
    }

    @Override
    public RunResult call(BatchPlan.Run run) throws Exception {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        long attemptId = task == null ? 0 : task.taskAttemptId();
        java.nio.file.Path local = Files.createTempDirectory("hav-batch-" + run.name() + "-");
        try {
            java.nio.file.Path out = local.resolve(run.name());
            long t0 = System.nanoTime();
            ThreadOutput.Captured<Integer> c = ThreadOutput.capture(
                    () -> Main.run(run.argv(out.toString()).toArray(String[]::new)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode answer = lastJsonObject(c.printed());
            String key = provenanceKeys.get(run.name());
            if (c.value() != 0) {
                String message = answer != null && answer.hasNonNull("error") ? answer.get("error").asText()
                        : "exit code " + c.value() + (c.printed().isBlank() ? "" : ": " + c.printed().strip());
                String fix = answer != null && answer.hasNonNull("fix") ? answer.get("fix").asText() : null;
                if (answer != null && answer.hasNonNull("file")) {
                    message = answer.get("file").asText() + ": " + message;
                }
                return new RunResult(run.name(), run.command(), run.model(), "failed", c.value(), message, fix,
                        seconds, attempt, key, batchId, null);
            }
            RunResult result = new RunResult(run.name(), run.command(), run.model(), "done", 0, null, null, seconds,
                    attempt, key, batchId, answer == null ? null : answer.toString());
            Map<String, Object> record = result.toMap();
            record.put("argv", run.argv("runs/" + run.name()));
            record.put("answer", answer);
            Files.writeString(out.resolve(BatchFiles.RUN_RECORD), JSON.writeValueAsString(record));
            return commit(run, out, result, attemptId);
        } finally {
            deleteLocal(local);
        }
    }

    /** Copies the run's folder to the batch folder's staging area and renames it into runs/NAME. */
    private RunResult commit(BatchPlan.Run run, java.nio.file.Path out, RunResult result, long attemptId)
            throws IOException {
        BatchFiles files = new BatchFiles(batchDir, new Configuration());
        Path staging = files.staging(run.name() + "." + attemptId);
        files.fs.delete(staging, true);
        files.fs.mkdirs(staging.getParent());
        files.fs.copyFromLocalFile(false, true, new Path(out.toUri()), staging);
        if (run.name().equals(crashRun) && result.attempt() == 0) {
            throw new IllegalStateException("test hook " + CRASH_PROPERTY + ": attempt 0 of " + run.name()
                    + " stops after staging");
        }
        Path target = files.run(run.name());
        files.fs.mkdirs(target.getParent());
        synchronized (RunTask.class) {
            if (files.exists(target)) {
                RunResult there = committed(files, target);
                if (there != null && batchId.equals(there.batchId())) {
                    // another attempt of this very batch committed first: keep its copy, drop ours
                    files.fs.delete(staging, true);
                    return there;
                }
                // an older batch's result (a --fresh rerun or other provenance): moved aside, replaced, then removed
                Path old = files.staging(run.name() + "." + attemptId + ".replaced");
                if (!files.fs.rename(target, old)) {
                    throw new IOException("cannot move the old " + target + " aside");
                }
                rename(files, staging, target);
                files.fs.delete(old, true);
            } else {
                rename(files, staging, target);
            }
        }
        return result;
    }

    private static void rename(BatchFiles files, Path from, Path to) throws IOException {
        if (!files.fs.rename(from, to)) {
            throw new IOException("cannot commit " + from + " as " + to);
        }
    }

    /** The record of a committed run, or null when it has none (not written by hav batch). */
    static RunResult committed(BatchFiles files, Path runDir) {
        try {
            Path p = new Path(runDir, BatchFiles.RUN_RECORD);
            if (!files.exists(p)) {
                return null;
            }
            Map<String, Object> m = JSON.readValue(files.readText(p), new TypeReference<Map<String, Object>>() {});
            Object answer = m.get("answer");
            return RunResult.fromMap(m, answer == null ? null : JSON.writeValueAsString(answer));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The last line of the output that is a JSON object (the command's --json answer or error). */
    static JsonNode lastJsonObject(String printed) {
        String[] lines = printed.split("\n");
        // the answer may span several lines (pretty-printed): try the longest suffix that parses
        for (int start = 0; start < lines.length; start++) {
            if (!lines[start].startsWith("{")) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(String.join("\n", java.util.Arrays.copyOfRange(lines, start, lines.length)));
                if (n != null && n.isObject()) {
                    return n;
                }
            } catch (IOException ignored) {
                // not the answer; try a later line
            }
        }
        return null;
    }

    private static void deleteLocal(java.nio.file.Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(java.nio.file.Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(java.nio.file.Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary folder " + dir, e);
        }
    }
}
