package org.hiddenactivity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.cuda.CudaTsne;

/**
 * The Java half of the GPU kit (benchmarks/gpu/run_on_gpu.sh): times the CUDA backend (and the CPU backend when
 * this build has one) on .npy inputs inside one JVM, so JVM start and JIT warm-up stay out of the numbers: each
 * input runs {@code --repeat} times and every run is reported. Writes the embeddings and one JSON file.
 * <pre>java -cp hav.jar:lib/* org.hiddenactivity.bench.GpuBench --out DIR [--repeat 2] [--selfcheck]
 *      [--cpu-max N] [--max-iter N] NAME=FILE.npy ...</pre>
 */
public final class GpuBench {
    private GpuBench() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(".");
        int repeat = 2;
        int cpuMax = 12000;
        boolean selfcheck = false;
        int maxIter = 1000;
        List<String[]> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--cpu-max" -> cpuMax = Integer.parseInt(args[++i]);
                case "--selfcheck" -> selfcheck = true;
                case "--max-iter" -> maxIter = Integer.parseInt(args[++i]);
                default -> inputs.add(args[i].split("=", 2));
            }
        }
        Files.createDirectories(out);
        final Path outDir = out;
        Map<String, Object> report = new LinkedHashMap<>();
        CudaTsne cuda = new CudaTsne();
        report.put("cuda_availability", cuda.availability());
        report.put("gpu", org.hiddenactivity.core.GpuInfo.describe());
        report.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        if (selfcheck && cuda.availability().available()) {
            report.put("selfcheck_exact", guarded(() -> GpuSelfCheck.compareWithExact(cuda, 400, 20)));
            report.put("selfcheck_exact_barnes_hut", guarded(() -> GpuSelfCheck.compareWithExact(new CudaTsne(0), 400, 20)));
            report.put("selfcheck_dynamic", guarded(() -> GpuSelfCheck.dynamicMovement(cuda, 500, 1.0)));
        }
        TsneBackend cpu = cpuBackend();
        report.put("cpu_backend", cpu == null ? "absent from this build" : cpu.name());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (String[] in : inputs) {
            String name = in[0];
            FloatMatrix x = Npy.readMatrix(Path.of(in[1]));
            TsneParameters params = TsneParameters.builder().maxIter(maxIter).build();
            if (cuda.availability().available()) {
                for (int r = 0; r < repeat; r++) {
                    final int rep = r;
                    Map<String, Object> m = guarded(() -> {
                        long t0 = System.nanoTime();
                        Embedding e = cuda.embed(x, params, null, Progress.NONE);
                        double wall = (System.nanoTime() - t0) / 1e9;
                        Map<String, Object> row = row(name, x, "cuda", rep, wall, e);
                        row.put("native_seconds_knn_p_opt_total", cuda.lastNativeSeconds());
                        row.put("stage_seconds", cuda.lastStageSeconds());
                        if (rep == 0) {
                            Npy.write(outDir.resolve(name + "_cuda.npy"), e.points());
                        }
                        return row;
                    });
                    runs.add(m);
                    System.err.println(m);
                }
            }
            if (cuda.availability().available() && x.rows() <= CudaTsne.DEFAULT_EXACT_REPULSION_MAX_N) {
                CudaTsne bh = new CudaTsne(0);
                for (int r = 0; r < 2; r++) {
                    final int rep = r;
                    Map<String, Object> m = guarded(() -> {
                        long t0 = System.nanoTime();
                        Embedding e = bh.embed(x, params, null, Progress.NONE);
                        double wall = (System.nanoTime() - t0) / 1e9;
                        Map<String, Object> row = row(name, x, "cuda-barnes-hut", rep, wall, e);
                        row.put("native_seconds_knn_p_opt_total", bh.lastNativeSeconds());
                        row.put("stage_seconds", bh.lastStageSeconds());
                        if (rep == 0) {
                            Npy.write(outDir.resolve(name + "_cudabh.npy"), e.points());
                        }
                        return row;
                    });
                    runs.add(m);
                    System.err.println(m);
                }
            }
            if (cpu != null && x.rows() <= cpuMax) {
                Map<String, Object> m = guarded(() -> {
                    long t0 = System.nanoTime();
                    Embedding e = cpu.embed(x, params, null, Progress.NONE);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    Npy.write(outDir.resolve(name + "_cpu.npy"), e.points());
                    return row(name, x, "cpu", 0, wall, e);
                });
                runs.add(m);
                System.err.println(m);
            }
        }
        report.put("runs", runs);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report);
        AtomicFiles.writeBytes(out.resolve("java_results.json"), json);
        System.out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Map<String, Object> row(String name, FloatMatrix x, String backend, int rep, double wall, Embedding e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", name);
        m.put("n", x.rows());
        m.put("d", x.cols());
        m.put("backend", backend);
        m.put("repeat", rep);
        m.put("java_wall_seconds", wall);
        m.put("kl", e.klDivergence());
        m.put("kl_history", e.klHistory());
        m.put("device", e.device());
        return m;
    }

    private interface Body {
        Map<String, Object> get() throws Exception;
    }

    private static Map<String, Object> guarded(Body body) {
        try {
            return body.get();
        } catch (Throwable t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", t.toString());
            return m;
        }
    }

    /** The CPU engine when this build has it and OpenBLAS is on the class path (the GPU kit may leave it out). */
    private static TsneBackend cpuBackend() {
        try {
            Class.forName("org.bytedeco.openblas.global.openblas", false, GpuBench.class.getClassLoader());
            Class<?> c = Class.forName("org.hiddenactivity.projection.CpuTsne");
            return (TsneBackend) c.getConstructor(int.class).newInstance(0);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
