package org.hiddenactivity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.Environment;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneBackends;
import org.hiddenactivity.projection.TsneParameters;

/**
 * The t-SNE benchmark: the project's backends (in this JVM) and peer tools (scikit-learn, Rtsne; as subprocesses,
 * see benchmarks/peers/) on the same files with the same parameters and thread count, interleaved (for each repeat,
 * for each input, every tool in turn) so that a change in machine load hits all tools alike. Every output is scored
 * by this project's {@link Metrics}, never by the tool's own numbers. One JSON object per run, written to a .jsonl
 * file (rewritten atomically after every run, so an interrupted benchmark keeps what it measured).
 */
public final class TsneBenchmark {
    /**
     * What to run. {@code labels} is empty or parallel to {@code inputs}; {@code peersDir} holds the peer scripts;
     * {@code keepDir}, when not null, receives every embedding as TOOL_N_rREPEAT.npy. A backend may carry a CPU
     * repulsion after a colon ({@code cpu:bh}, {@code cpu:fft}, {@code cpu:exact}; tool name hav-cpu-bh, ...).
     * {@code recall}: per input (first repeat), the exact and the approximate kNN at k = 90 are timed and the recall of
     * the approximate one is recorded (tool "knn").
     */
    public record Config(List<Path> inputs, List<Path> labels, List<String> backends, List<String> peers, int repeats,
                         int threads, TsneParameters params, Path out, Path peersDir, String python, String rscript,
                         Path keepDir, boolean recall) {
        /** Without the recall measurement. */
        public Config(List<Path> inputs, List<Path> labels, List<String> backends, List<String> peers, int repeats,
                      int threads, TsneParameters params, Path out, Path peersDir, String python, String rscript,
                      Path keepDir) {
            this(inputs, labels, backends, peers, repeats, threads, params, out, peersDir, python, rscript, keepDir,
                    false);
        }
    }

    private final Config config;
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();

    public TsneBenchmark(Config config) {
        this.config = config;
    }

    /** Runs everything; returns the records written (also in {@code config.out()}). */
    public List<Map<String, Object>> run() throws IOException, InterruptedException {
        List<Map<String, Object>> records = new ArrayList<>();
        Path work = Files.createTempDirectory("hav-bench-");
        try {
            runAll(work, records);
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
        return records;
    }

    private void runAll(Path work, List<Map<String, Object>> records) throws IOException, InterruptedException {
        for (int r = 0; r < config.repeats(); r++) {
            for (int f = 0; f < config.inputs().size(); f++) {
                Path input = config.inputs().get(f);
                FloatMatrix x = Npy.readMatrix(input);
                Path labelFile = config.labels().isEmpty() ? null : config.labels().get(f);
                int[] y = labelFile == null ? null : Npy.readLabels(labelFile);
                if (y != null && y.length != x.rows()) {
                    throw new HavException(labelFile.toString(), y.length + " labels for " + x.rows() + " rows of "
                            + input, "pass the labels of that input, in the same order");
                }
                if (config.recall() && r == 0) {
                    Map<String, Object> rec = base("knn", Environment.havVersion(), input, x, r);
                    rec.putAll(org.hiddenactivity.projection.KnnRecall.measure(x, 90, config.threads()));
                    records.add(rec);
                    lines.add(json.writeValueAsString(rec));
                    AtomicFiles.writeString(config.out(), String.join("\n", lines) + "\n");
                    org.hiddenactivity.core.Warnings.notice(String.format("hav bench: knn n=%d exact %.2f s, approximate %.2f s, recall@90 %.4f (load %.2f)",
                            x.rows(), (Double) rec.get("exact_seconds"), (Double) rec.get("approximate_seconds"),
                            (Double) rec.get("recall"), (Double) rec.get("load_average_1min")));
                }
                for (String backend : config.backends()) {
                    Map<String, Object> rec = runBackend(backend, input, x, r);
                    if (rec != null) {
                        finish(rec, x, y, records);
                    }
                }
                for (String peer : config.peers()) {
                    Map<String, Object> rec = runPeer(peer, input, x, r, work);
                    if (rec != null) {
                        finish(rec, x, y, records);
                    }
                }
            }
        }
    }

    private Map<String, Object> runBackend(String spec, Path input, FloatMatrix x, int repeat) {
        String[] parts = spec.split(":", 2);
        String name = parts[0];
        TsneParameters p = config.params().withThreads(config.threads());
        String repulsionOption = "";
        if (parts.length == 2) {
            p = p.withRepulsion(switch (parts[1]) {
                case "bh" -> TsneParameters.Repulsion.BARNES_HUT;
                case "fft" -> TsneParameters.Repulsion.FFT;
                case "exact" -> TsneParameters.Repulsion.EXACT;
                default -> throw new HavException("--backends " + spec, "unknown repulsion " + parts[1], "use bh, fft or exact");
            });
            repulsionOption = " --repulsion " + parts[1];
        }
        Map<String, Object> rec = base("hav-" + spec.replace(':', '-'), Environment.havVersion(), input, x, repeat);
        rec.put("repulsion", org.hiddenactivity.projection.ScalableChoices.repulsion(p, x.rows()).name());
        rec.put("neighbour_search", org.hiddenactivity.projection.ScalableChoices.neighbourSearch(p.neighbourSearch(),
                x.rows(), x.cols()).name());
        Embedding e;
        try (TsneBackend b = TsneBackends.select(name, config.threads())) {
            rec.put("command", "hav tsne --backend " + name + repulsionOption + " --input " + input + " --threads " + config.threads()
                    + " --perplexity " + p.perplexity() + " --iterations " + p.maxIter() + " --seed " + p.randomState());
            long cpu0 = processCpuNanos();
            e = b.embed(x, p, null, Progress.NONE);
            rec.put("cpu_seconds", (processCpuNanos() - cpu0) / 1e9);
        } catch (HavException ex) {
            org.hiddenactivity.core.Warnings.warn("hav bench: skipping backend " + name + ": " + ex.getMessage());
            return null;
        }
        rec.put("device", e.device());
        rec.put("seconds", e.seconds());
        rec.put("kl_tool", e.klDivergence());
        rec.put("_points", e.points());
        return rec;
    }

    private Map<String, Object> runPeer(String peer, Path input, FloatMatrix x, int repeat, Path work)
            throws IOException, InterruptedException {
        Path outY = work.resolve(peer + ".npy");
        Path outJson = work.resolve(peer + ".json");
        Files.deleteIfExists(outY);
        Files.deleteIfExists(outJson);
        TsneParameters p = config.params();
        List<String> cmd = new ArrayList<>();
        switch (peer) {
            case "sklearn" -> {
                cmd.add(config.python());
                cmd.add(config.peersDir().resolve("sklearn_tsne.py").toString());
            }
            case "rtsne" -> {
                cmd.add(config.rscript());
                cmd.add(config.peersDir().resolve("rtsne_tsne.R").toString());
            }
            case "umap" -> {
                cmd.add(config.python());
                cmd.add(config.peersDir().resolve("umap_embed.py").toString());
            }
            default -> throw new HavException("--peers " + peer, "unknown peer", "use sklearn, rtsne and/or umap");
        }
        cmd.addAll(List.of("--input", input.toAbsolutePath().toString(), "--out", outY.toString(), "--json",
                outJson.toString(), "--threads", Integer.toString(config.threads()), "--seed",
                Long.toString(p.randomState()), "--perplexity", Double.toString(p.perplexity()), "--iterations",
                Integer.toString(p.maxIter())));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(peer + ".log").toFile()).start();
        if (!proc.waitFor(2, TimeUnit.HOURS)) {
            proc.destroyForcibly();
            org.hiddenactivity.core.Warnings.warn("hav bench: " + peer + " timed out on " + input);
            return null;
        }
        if (proc.exitValue() != 0 || !Files.exists(outJson)) {
            String log = Files.readString(work.resolve(peer + ".log"), StandardCharsets.UTF_8);
            org.hiddenactivity.core.Warnings.warn("hav bench: " + peer + " failed on " + input + " (exit " + proc.exitValue() + "): "
                    + log.substring(Math.max(0, log.length() - 2000)));
            return null;
        }
        JsonNode result = json.readTree(outJson.toFile());
        Map<String, Object> rec = base(peer, result.path("version").asText("?"), input, x, repeat);
        rec.put("command", String.join(" ", cmd).replace(work.toString(), "$TMP"));
        rec.put("device", config.threads() + " threads");
        rec.put("seconds", result.path("seconds").asDouble());
        rec.put("cpu_seconds", result.has("cpu_seconds") ? result.get("cpu_seconds").asDouble() : null);
        rec.put("kl_tool", result.has("kl_sklearn") ? result.get("kl_sklearn").asDouble() : null);
        rec.put("_points", Npy.readMatrix(outY));
        return rec;
    }

    /** CPU time of this JVM, all threads (JIT and GC included: an honest cost of running in Java). */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private Map<String, Object> base(String tool, String version, Path input, FloatMatrix x, int repeat) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("tool", tool);
        rec.put("version", version);
        rec.put("machine", Machine.describe());
        rec.put("load_average_1min", Machine.loadAverage());
        rec.put("threads", config.threads());
        rec.put("input", input.toString());
        rec.put("n", x.rows());
        rec.put("d", x.cols());
        rec.put("repeat", repeat);
        rec.put("perplexity", config.params().perplexity());
        rec.put("iterations", config.params().maxIter());
        rec.put("seed", config.params().randomState());
        rec.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return rec;
    }

    private void finish(Map<String, Object> rec, FloatMatrix x, int[] y, List<Map<String, Object>> records)
            throws IOException {
        FloatMatrix points = (FloatMatrix) rec.remove("_points");
        if (config.keepDir() != null) {
            Files.createDirectories(config.keepDir());
            Npy.write(config.keepDir().resolve(rec.get("tool") + "_" + x.rows() + "_r" + rec.get("repeat") + ".npy"), points);
        }
        long m0 = System.nanoTime();
        Metrics.Report m = Metrics.evaluate(x, points, y, config.params().perplexity(), config.threads());
        rec.put("metrics_seconds", (System.nanoTime() - m0) / 1e9);
        rec.put("kl", m.klDivergence());
        rec.put("kl_exact", m.klExact());
        rec.put("metrics_neighbours_approximate", m.neighboursApproximate());
        rec.put("trustworthiness", m.trustworthiness());
        rec.put("knn_preservation", m.knnPreservation());
        rec.put("neighbourhood_hit", y == null ? null : m.neighbourhoodHit());
        records.add(rec);
        lines.add(json.writeValueAsString(rec));
        AtomicFiles.writeString(config.out(), String.join("\n", lines) + "\n");
        org.hiddenactivity.core.Warnings.notice(String.format("hav bench: %-12s n=%-6d %8.2f s (cpu %s s)  KL %.4f  T %.4f  hit %s  (load %.2f)",
                rec.get("tool"), x.rows(), (Double) rec.get("seconds"), rec.get("cpu_seconds"), m.klDivergence(),
                m.trustworthiness(),
                y == null ? "-" : String.format("%.4f", m.neighbourhoodHit()), (Double) rec.get("load_average_1min")));
    }
}
