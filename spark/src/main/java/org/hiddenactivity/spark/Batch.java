package org.hiddenactivity.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.hiddenactivity.cli.BatchCommand;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Provenance;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.ModelSeries;
import org.hiddenactivity.projection.EngineVersion;

/**
 * The driver of {@code hav batch}: checks the plan, skips runs already complete with the same provenance, submits
 * one Spark job per remaining run (so a run that fails, even after Spark's retries, fails alone), reports progress
 * and writes the index and the comparison across runs.
 */
public final class Batch implements BatchCommand.Engine {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Exit code when the batch finished but at least one run failed (its message is in index.json). */
    public static final int EXIT_RUNS_FAILED = 1;

    @Override
    public int run(BatchCommand.Request request) throws Exception {
        Outcome o = execute(request);
        Map<String, Object> summary = o.summary();
        if (request.json()) {
            System.out.println(JSON.writeValueAsString(summary));
        } else {
            System.out.printf(Locale.ROOT, "%d runs: %d done (%d skipped as complete), %d failed; index %s%n",
                    o.results.size(), o.count("done") + o.count("skipped"), o.count("skipped"), o.count("failed"),
                    summary.get("index"));
            for (RunResult r : o.results) {
                if (!r.ok()) {
                    System.out.println("  failed " + r.name() + ": " + r.message());
                }
            }
        }
        return o.count("failed") > 0 ? EXIT_RUNS_FAILED : 0;
    }

    /** What a batch did: one result per run in plan order, and where its index lies. */
    record Outcome(List<RunResult> results, BatchFiles files, String batchId, double seconds) {
        long count(String status) {
            return results.stream().filter(r -> r.status().equals(status)).count();
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("batch_id", batchId);
            m.put("out", files.display(files.root));
            m.put("index", files.display(files.file(BatchIndex.HTML)));
            m.put("runs", results.size());
            m.put("done", count("done") + count("skipped"));
            m.put("skipped", count("skipped"));
            m.put("failed", count("failed"));
            m.put("seconds", seconds);
            List<Map<String, Object>> runs = new ArrayList<>();
            results.forEach(r -> runs.add(r.toMap()));
            m.put("results", runs);
            return m;
        }
    }

    /** Runs the batch (tests call this); the Spark context lives for this call only. */
    static Outcome execute(BatchCommand.Request request) throws IOException {
        long t0 = System.nanoTime();
        // the plan and the folder are checked before Spark starts (seconds) so that a typo fails at once
        BatchPlan plan = readPlan(request.plan());
        BatchFiles files = new BatchFiles(request.out(), new org.apache.hadoop.conf.Configuration());
        files.fs.mkdirs(files.root);
        SparkConf conf = new SparkConf().setAppName("hav batch");
        String master = request.master() != null ? request.master() : conf.get("spark.master", "local[*]");
        conf.setMaster(master);
        conf.setIfMissing("spark.ui.enabled", "false");
        // one attempt commits by one rename; speculative duplicates of a run are not wanted
        conf.set("spark.speculation", "false");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            jsc.setLogLevel("WARN");
            String batchId = Instant.now() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> keys = new LinkedHashMap<>();
            Map<String, RunResult> results = new LinkedHashMap<>();
            for (BatchPlan.Run r : plan.runs()) {
                keys.put(r.name(), provenanceKey(r));
                RunResult before = RunTask.committed(files, files.run(r.name()));
                if (!request.fresh() && before != null && before.status().equals("done")
                        && keys.get(r.name()).equals(before.provenanceKey())) {
                    results.put(r.name(), before.skipped());
                }
            }
            RunTask task = new RunTask(files.root.toString(), batchId, keys);
            Map<String, JavaFutureAction<List<RunResult>>> jobs = new LinkedHashMap<>();
            for (BatchPlan.Run r : plan.runs()) {
                if (!results.containsKey(r.name())) {
                    jsc.setJobGroup(group(r), "hav batch run " + r.name(), true);
                    jobs.put(r.name(), jsc.parallelize(List.of(r), 1).map(task).collectAsync());
                }
            }
            jsc.clearJobGroup();
            Progress progress = new Progress(plan.runs().size(), request.quiet());
            progress.report(results, jobs, jsc);
            while (results.size() < plan.runs().size()) {
                for (BatchPlan.Run r : plan.runs()) {
                    JavaFutureAction<List<RunResult>> f = jobs.get(r.name());
                    if (f != null && f.isDone() && !results.containsKey(r.name())) {
                        results.put(r.name(), outcome(r, f, keys.get(r.name()), batchId));
                        BatchIndex.writeStatus(files, ordered(plan, results), batchId, false);
                    }
                }
                progress.report(results, jobs, jsc);
                if (results.size() < plan.runs().size()) {
                    sleep();
                }
            }
            List<RunResult> all = ordered(plan, results);
            BatchIndex.writeAll(files, all, batchId);
            files.fs.delete(new Path(files.root, BatchFiles.STAGING), true);
            return new Outcome(all, files, batchId, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static String group(BatchPlan.Run r) {
        return "hav-batch-" + r.name();
    }

    private static List<RunResult> ordered(BatchPlan plan, Map<String, RunResult> results) {
        List<RunResult> out = new ArrayList<>();
        for (BatchPlan.Run r : plan.runs()) {
            if (results.containsKey(r.name())) {
                out.add(results.get(r.name()));
            }
        }
        return out;
    }

    /** A finished job's result; a job Spark gave up on (its retries spent) is this run's failure only. */
    private static RunResult outcome(BatchPlan.Run r, JavaFutureAction<List<RunResult>> f, String key, String id) {
        try {
            return f.get().get(0);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new RunResult(r.name(), r.command(), r.model(), "failed", HavException.EXIT_RUNTIME,
                    "the Spark task failed: " + firstLine(c.getMessage()), "see the executor's log; rerun the batch"
                    + " (complete runs are skipped)", 0, -1, key, id, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HavException("hav batch", "interrupted", "rerun the batch", HavException.EXIT_RUNTIME, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HavException("hav batch", "interrupted", "rerun the batch", HavException.EXIT_RUNTIME, e);
        }
    }

    static BatchPlan readPlan(String plan) {
        BatchFiles where;
        String text;
        try {
            where = new BatchFiles(plan, new org.apache.hadoop.conf.Configuration());
            if (!where.exists(where.root)) {
                throw new HavException(plan, "no such plan file", "give the path of a PLAN.json");
            }
            text = where.readText(where.root);
        } catch (IOException | UncheckedIOException e) {
            throw new HavException(plan, "cannot read the plan (" + e.getMessage() + ")", "check the path");
        }
        return BatchPlan.parse(text, plan);
    }

    /**
     * What makes a run's outputs what they are: its command line, the hav and t-SNE engine versions, the SHA-256
     * of every checkpoint of its model (null when the driver cannot resolve the model: the run will say why) and of
     * the data files its options name ({@link #DATA_OPTIONS}).
     */
    static String provenanceKey(BatchPlan.Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", r.command());
        m.put("model", r.model());
        m.put("options", r.options());
        m.put("hav", Environment.havVersion());
        m.put("engine", EngineVersion.id());
        Map<String, String> shas = new TreeMap<>();
        try {
            for (Checkpoint cp : ModelSeries.resolve(r.model()).checkpoints()) {
                shas.put(String.valueOf(cp.epoch()), cp.sha256());
            }
            m.put("checkpoints_sha256", shas);
        } catch (RuntimeException e) {
            m.put("checkpoints_sha256", null);
        }
        m.put("data_sha256", dataHashes(r.options()));
        try {
            return Provenance.sha256(JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options whose value names data a run reads: a file, or a folder read as a whole. */
    static final java.util.Set<String> DATA_OPTIONS = java.util.Set.of("--images", "--targets", "--class-names",
            "--data-dir");

    /**
     * SHA-256 per data option of the run: of the file, or of every file in the folder with its relative path (a
     * value that is no existing path, such as --class-names a,b,c, is already in the options).
     */
    static Map<String, String> dataHashes(List<String> options) {
        Map<String, String> hashes = new TreeMap<>();
        for (int i = 0; i + 1 < options.size(); i++) {
            if (!DATA_OPTIONS.contains(options.get(i))) {
                continue;
            }
            java.nio.file.Path p;
            try {
                p = java.nio.file.Path.of(options.get(i + 1));
            } catch (RuntimeException e) {
                continue;
            }
            if (Files.isRegularFile(p)) {
                hashes.put(options.get(i), Provenance.sha256(p));
            } else if (Files.isDirectory(p)) {
                hashes.put(options.get(i), folderHash(p));
            }
        }
        return hashes;
    }

    private static String folderHash(java.nio.file.Path dir) {
        StringBuilder sb = new StringBuilder();
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dir)) {
            for (java.nio.file.Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(dir.relativize(f)).append('\0').append(Provenance.sha256(f)).append('\n');
            }
        } catch (IOException e) {
            // unreadable now: the run itself will say what is wrong; the key just differs
            sb.append("unreadable: ").append(e.getMessage());
        }
        return Provenance.sha256(sb.toString());
    }

    /** Prints "runs: D done, F failed, R running, P pending" whenever the counts change. */
    static final class Progress {
        private final int total;
        private final boolean quiet;
        private String last = "";

        Progress(int total, boolean quiet) {
            this.total = total;
            this.quiet = quiet;
        }

        void report(Map<String, RunResult> results, Map<String, JavaFutureAction<List<RunResult>>> jobs,
                    JavaSparkContext jsc) {
            long done = results.values().stream().filter(RunResult::ok).count();
            long failed = results.size() - done;
            long running = 0;
            for (var e : jobs.entrySet()) {
                if (!results.containsKey(e.getKey()) && active(jsc, "hav-batch-" + e.getKey())) {
                    running++;
                }
            }
            String line = String.format(Locale.ROOT, "hav batch: %d/%d done, %d failed, %d running, %d pending", done,
                    total, failed, running, total - done - failed - running);
            if (!quiet && !line.equals(last)) {
                System.err.println(line);
            }
            last = line;
        }

        private static boolean active(JavaSparkContext jsc, String group) {
            for (int id : jsc.statusTracker().getJobIdsForGroup(group)) {
                SparkJobInfo job = jsc.statusTracker().getJobInfo(id);
                if (job == null) {
                    continue;
                }
                for (int s : job.stageIds()) {
                    SparkStageInfo st = jsc.statusTracker().getStageInfo(s);
                    if (st != null && st.numActiveTasks() > 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
