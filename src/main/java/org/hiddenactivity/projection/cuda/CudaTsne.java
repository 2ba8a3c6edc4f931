package org.hiddenactivity.projection.cuda;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Initialisation;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneInput;
import org.hiddenactivity.projection.TsneParameters;

/**
 * Barnes-Hut t-SNE on an NVIDIA GPU: native/ (CUDA) through the C header native/include/hav_tsne.h.
 * Same contract as the CPU backend (docs/design.md, the shared tests of TsneBackendContract); 2-D only. The input
 * goes through {@link TsneInput} as for every backend (checks, small-input rule, rescaling) before the call crosses
 * into native code; a native failure becomes a {@link CudaException} carrying its {@link NativeStatus} (exit code 3).
 */
public final class CudaTsne implements TsneBackend {
    private static final String SUBJECT = "CUDA t-SNE";
    private static volatile Availability probed;

    /**
     * Up to this many points the repulsion is computed exactly over all pairs: on a GPU that is faster than building
     * a Barnes-Hut tree for small inputs (measured on an H200, benchmarks/gpu/README.md), and exact. Above it,
     * Barnes-Hut with {@code params.angle()}. System property {@code hav.cuda.exactMaxN} overrides the default.
     */
    public static final int DEFAULT_EXACT_REPULSION_MAX_N = 20000;

    private final int exactRepulsionMaxN;
    private volatile boolean closed;

    public CudaTsne() {
        this(Integer.getInteger("hav.cuda.exactMaxN", DEFAULT_EXACT_REPULSION_MAX_N));
    }

    /** @param exactRepulsionMaxN exact repulsion up to this many points; 0 = always Barnes-Hut */
    public CudaTsne(int exactRepulsionMaxN) {
        if (exactRepulsionMaxN < 0) {
            throw new IllegalArgumentException("exactRepulsionMaxN must be >= 0, got " + exactRepulsionMaxN);
        }
        this.exactRepulsionMaxN = exactRepulsionMaxN;
    }
    private volatile double[] lastNativeSeconds = new double[0];
    private volatile java.util.Map<String, Double> lastStageSeconds = java.util.Map.of();
    /** The input's pinned host copy, reused across runs (pinning is slow); guarded by its lock. */
    private static final Object PINNED_LOCK = new Object();
    private static FloatPointer pinned;
    private static boolean pinnedIsPageable;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Availability availability() {
        Availability a = probed;
        if (a == null) {
            synchronized (CudaTsne.class) {
                if (probed == null) {
                    probed = probe();
                }
                a = probed;
            }
        }
        return a;
    }

    /** Whether the native libraries are inside this build (they are only when nvcc was found at build time). */
    static boolean built() {
        return HavTsneNative.class.getResource(Loader.getPlatform() + "/libjniHavTsneNative.so") != null
                || HavTsneNative.class.getResource("linux-x86_64/libjniHavTsneNative.so") != null;
    }

    private static Availability probe() {
        if (!built()) {
            return Availability.no("CUDA backend not built: this build had no nvcc (rebuild where the CUDA toolkit is"
                    + " installed to get it)");
        }
        try {
            Loader.load(HavTsneNative.class);
        } catch (Throwable t) {
            return Availability.no("CUDA backend could not be loaded: " + t);
        }
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        int[] count = new int[1];
        NativeStatus status = NativeStatus.of(HavTsneNative.hav_cuda_device_count(count, err, err.length));
        if (status == NativeStatus.NO_DRIVER || status == NativeStatus.NO_DEVICE) {
            return Availability.no(HavTsneNative.message(err));
        }
        if (status != NativeStatus.OK) {
            return Availability.no("CUDA is not usable (" + status + "): " + HavTsneNative.message(err));
        }
        DeviceInfo info = deviceInfo();
        if (info == null) {
            return Availability.no("CUDA device 0 could not be queried: " + HavTsneNative.message(err));
        }
        return Availability.yes(info.describe());
    }

    /** Name, memory and versions of device 0, or null when it cannot be queried. */
    static DeviceInfo deviceInfo() {
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        byte[] name = new byte[256];
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] driver = new int[1];
        int[] runtime = new int[1];
        try (SizeTPointer total = new SizeTPointer(1); SizeTPointer free = new SizeTPointer(1)) {
            int rc = HavTsneNative.hav_cuda_device_info(name, name.length, total, free, major, minor, driver, runtime,
                    err, err.length);
            if (NativeStatus.of(rc) != NativeStatus.OK) {
                return null;
            }
            return new DeviceInfo(HavTsneNative.message(name), total.get(), free.get(), major[0], minor[0], driver[0],
                    runtime[0]);
        }
    }

    /** What {@link #deviceInfo()} reports; versions as CUDA encodes them (1000 x major + 10 x minor). */
    record DeviceInfo(String name, long totalBytes, long freeBytes, int ccMajor, int ccMinor, int driverVersion,
                      int runtimeVersion) {
        String describe() {
            return String.format("%s (%.1f GiB, compute capability %d.%d, driver CUDA %s, runtime %s)", name,
                    totalBytes / (double) (1L << 30), ccMajor, ccMinor, version(driverVersion),
                    version(runtimeVersion));
        }

        static String version(int v) {
            return (v / 1000) + "." + (v % 1000) / 10;
        }
    }

    /** Seconds spent natively by the last run: kNN, affinities, optimisation, total (empty before the first run). */
    public double[] lastNativeSeconds() {
        return lastNativeSeconds.clone();
    }

    /**
     * Per-stage seconds of the last run, from Java's clock (java_*) and the native timers (native_*): preparing the
     * input (checks, rescaling; the PCA start when it ran in Java), its copy into pinned memory, the native call and
     * inside it the input's copy to the device, the PCA start, kNN, P, optimisation; total.
     */
    public java.util.Map<String, Double> lastStageSeconds() {
        return lastStageSeconds;
    }

    /** Pinned host memory for {@code floats} values, grown when needed; pageable native memory if pinning fails. */
    private static FloatPointer pinnedInput(long floats) {
        if (pinned != null && pinned.capacity() >= floats) {
            return pinned;
        }
        if (pinned != null) {
            releasePinned();
        }
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        Pointer raw = new Pointer();
        if (NativeStatus.of(HavTsneNative.hav_host_buffer_allocate(floats * Float.BYTES, raw, err, err.length))
                == NativeStatus.OK && !raw.isNull()) {
            pinned = new FloatPointer(raw).capacity(floats);
            pinnedIsPageable = false;
        } else {
            pinned = new FloatPointer(floats);  // still correct, the copy to the device is only slower
            pinnedIsPageable = true;
        }
        return pinned;
    }

    private static void releasePinned() {
        if (pinnedIsPageable) {
            pinned.close();
        } else {
            byte[] err = new byte[HavTsneNative.ERR_LEN];
            HavTsneNative.hav_host_buffer_free(pinned, err, err.length);
        }
        pinned = null;
    }

    @Override
    public Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress) {
        return run(TsneInput.of(data, params, initial), progress).get(0);
    }

    /**
     * Dynamic t-SNE of all snapshots together; every snapshot starts from the same points (the PCA of the first,
     * or random), so that the movement term starts at 0.
     */
    @Override
    public List<Embedding> embedDynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda,
                                        Progress progress) {
        return run(TsneInput.dynamic(snapshots, params, lambda), progress);
    }

    /**
     * The repulsion and neighbour-search choices are the CPU backend's: this backend computes repulsion exactly up
     * to its exact limit and by Barnes-Hut above, with exact kNN. A choice other than AUTO is said, not ignored.
     */
    static void warnCpuOnlyChoices(TsneParameters p) {
        if (p.repulsion() != TsneParameters.Repulsion.AUTO) {
            Warnings.warnOnce("cuda-repulsion", "--repulsion " + p.repulsion().name().toLowerCase(java.util.Locale.ROOT)
                    + " is a CPU-backend choice; the CUDA backend repulses exactly up to "
                    + Integer.getInteger("hav.cuda.exactMaxN", DEFAULT_EXACT_REPULSION_MAX_N)
                    + " points and by Barnes-Hut above (use --backend cpu to choose)");
        }
        if (p.neighbourSearch() != TsneParameters.NeighbourSearch.AUTO) {
            Warnings.warnOnce("cuda-neighbours", "--neighbours " + p.neighbourSearch().name()
                    .toLowerCase(java.util.Locale.ROOT) + " is a CPU-backend choice; the CUDA backend finds exact"
                    + " neighbours (use --backend cpu to choose)");
        }
    }

    private List<Embedding> run(TsneInput in, Progress progress) {
        if (closed) {
            throw new IllegalStateException("CudaTsne is closed");
        }
        long start = System.nanoTime();
        checkSupported(in);
        warnCpuOnlyChoices(in.params());
        Availability a = availability();
        if (!a.available()) {
            throw new HavException(SUBJECT, a.reason(), "use the CPU backend (--backend cpu)",
                    HavException.EXIT_RUNTIME, null);
        }
        TsneParameters used = in.params();
        List<FloatMatrix> snapshots = in.snapshots();
        int n = in.n();
        int t = snapshots.size();
        int[] dims = new int[t];
        long total = 0;
        for (int s = 0; s < t; s++) {
            dims[s] = snapshots.get(s).cols();
            total += (long) n * dims[s];
        }
        int historyLength = used.maxIter() / Embedding.KL_EVERY;
        float[] y = new float[t * n * 2];
        double[] kl = new double[t];
        double[] history = new double[Math.max(1, t * historyLength)];
        double[] seconds = new double[6];
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        java.util.Map<String, Double> stages = new java.util.LinkedHashMap<>();
        // the PCA start runs on the device from the input's one copy there; given or random starts come from Java
        boolean devicePca = in.initial() == null && used.init() == TsneParameters.Init.PCA && dims[0] >= 2;
        int rc = NativeStatus.OK.code();
        if (devicePca) {
            long prepared = System.nanoTime();
            stages.put("java_prepare", (prepared - start) / 1e9);
            int[] noVariance = new int[1];
            int k = Math.min(dims[0], 2 + CudaStages.PCA_OVERSAMPLE);
            synchronized (PINNED_LOCK) {
                FloatPointer x = pinnedInput(total);
                long off = 0;
                for (FloatMatrix m : snapshots) {
                    x.position(off).put(m.data());
                    off += m.data().length;
                }
                x.position(0);
                long copied = System.nanoTime();
                stages.put("java_input_copy", (copied - prepared) / 1e9);
                try (HavTsneNative.Params p = nativeParams(used, n, in.lambda(), exactRepulsionMaxN)) {
                    progress.message("CUDA t-SNE of " + t + " x " + n + " points on " + a.device());
                    rc = HavTsneNative.hav_tsne_run_pca(x, t, n, dims, p,
                            CudaStages.pcaDirections(dims[0], k, used.randomState()), k, CudaStages.PCA_ITERATIONS,
                            CudaStages.PCA_SAMPLE_ROWS, null, noVariance, y, kl, history, seconds, err, err.length);
                }
                stages.put("java_native_call", (System.nanoTime() - copied) / 1e9);
            }
            throwIfFailed(rc, err);
            if (noVariance[0] == 1) {
                Warnings.warn("the data have no variance along any axis; starting t-SNE from random points");
                devicePca = false;
                stages.clear();
            }
        }
        if (!devicePca) {
            FloatMatrix init = in.initial() != null ? in.initial()
                    : Initialisation.randomStart(n, 2, used.randomState());
            if (in.initial() == null && used.init() == TsneParameters.Init.PCA) {
                init = startingPoints(snapshots.get(0), used);  // one feature, or no variance: Java's rule
            }
            float[] initAll = new float[t * n * 2];
            for (int s = 0; s < t; s++) {
                System.arraycopy(init.data(), 0, initAll, s * n * 2, n * 2);
            }
            float[] x;
            if (t == 1) {
                x = snapshots.get(0).data();
            } else {
                x = new float[Math.toIntExact(total)];
                int off = 0;
                for (FloatMatrix m : snapshots) {
                    System.arraycopy(m.data(), 0, x, off, m.data().length);
                    off += m.data().length;
                }
            }
            long prepared = System.nanoTime();
            stages.put("java_prepare", (prepared - start) / 1e9);
            try (HavTsneNative.Params p = nativeParams(used, n, in.lambda(), exactRepulsionMaxN)) {
                progress.message("CUDA t-SNE of " + t + " x " + n + " points on " + a.device());
                rc = t == 1
                        ? HavTsneNative.hav_tsne_run(x, n, dims[0], p, initAll, y, kl, history, seconds, err,
                        err.length)
                        : HavTsneNative.hav_tsne_run_dynamic(x, t, n, dims, p, initAll, y, kl, history, seconds, err,
                        err.length);
            }
            stages.put("java_native_call", (System.nanoTime() - prepared) / 1e9);
            throwIfFailed(rc, err);
        }
        lastNativeSeconds = java.util.Arrays.copyOf(seconds, 4);
        String[] names = {"native_knn", "native_affinities", "native_optimise", "native_total", "native_pca_start",
            "native_input_copy"};
        for (int i = 0; i < (devicePca ? 6 : 4); i++) {
            stages.put(names[i], seconds[i]);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        stages.put("java_total", wall);
        lastStageSeconds = java.util.Collections.unmodifiableMap(stages);
        List<Embedding> out = new ArrayList<>(t);
        for (int s = 0; s < t; s++) {
            float[] ys = java.util.Arrays.copyOfRange(y, s * n * 2, (s + 1) * n * 2);
            double[] hs = java.util.Arrays.copyOfRange(history, s * historyLength, (s + 1) * historyLength);
            FloatMatrix points = new FloatMatrix(n, 2, ys);
            // the kernel's Barnes-Hut estimate cannot be a KL when negative (coinciding points): measure it instead
            double reported = kl[s] >= 0 ? kl[s] : Math.max(0, org.hiddenactivity.projection.Metrics.klDivergence(
                    snapshots.get(s), points, used.perplexity(), 0));
            boolean exact = kl[s] < 0 && n <= org.hiddenactivity.projection.Metrics.EXACT_KL_MAX_POINTS;
            out.add(new Embedding(points, reported, hs, wall, "cuda", a.device(), used.perplexity(), exact));
        }
        return out;
    }

    /**
     * The engine's conditional P (n x k, row-major) of n rows of k squared distances at this perplexity, as
     * hav_tsne_run computes it: {@code onDevice} runs the GPU kernel (needs a GPU), else the same row function
     * compiled for the host (needs only the built library). For the tests that hold it to the CPU engine's rule.
     */
    public static float[] conditionalP(float[] sqDist, int n, int k, double perplexity, boolean onDevice) {
        if (!built()) {
            throw new HavException(SUBJECT, "CUDA backend not built", "build where nvcc is installed",
                    HavException.EXIT_RUNTIME, null);
        }
        if (sqDist.length != (long) n * k) {
            throw new IllegalArgumentException(sqDist.length + " distances for " + n + " x " + k);
        }
        Loader.load(HavTsneNative.class);
        float[] out = new float[sqDist.length];
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        throwIfFailed(HavTsneNative.hav_tsne_conditional_p(sqDist, n, k, (float) perplexity, onDevice ? 1 : 0, out,
                err, err.length), err);
        return out;
    }

    /** Peak GPU memory in bytes a run of these snapshots would need (asks the driver for free memory too). */
    public long memoryEstimate(int n, int[] dims, TsneParameters params) {
        Availability a = availability();
        if (!a.available()) {
            throw new HavException(SUBJECT, a.reason(), "use the CPU backend (--backend cpu)",
                    HavException.EXIT_RUNTIME, null);
        }
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        try (HavTsneNative.Params p = nativeParams(params.forPoints(n), n, 0, exactRepulsionMaxN);
             SizeTPointer bytes = new SizeTPointer(1)) {
            int rc = HavTsneNative.hav_tsne_memory_estimate(n, dims, dims.length, p, bytes, err, err.length);
            throwIfFailed(rc, err);
            return bytes.get();
        }
    }

    /**
     * The native parameter struct of {@code used} (already through {@link TsneParameters#forPoints}) for n points:
     * every field set explicitly. Fields of TsneParameters that do not appear here act in Java: nComponents (2 only),
     * init, randomState and threads (the starting points, {@link #initialPoints}).
     */
    static HavTsneNative.Params nativeParams(TsneParameters used, int n, double lambda, int exactMaxN) {
        HavTsneNative.Params p = new HavTsneNative.Params();
        p.n_neighbors(used.neighbours(n))
                .perplexity((float) used.perplexity())
                .early_exaggeration((float) used.earlyExaggeration())
                .early_exaggeration_iter(used.earlyExaggerationIter())
                .max_iter(used.maxIter())
                .learning_rate((float) used.effectiveLearningRate(n))
                .theta((float) used.angle())
                .initial_momentum((float) used.initialMomentum())
                .final_momentum((float) used.finalMomentum())
                .min_gain((float) used.minGain())
                .kl_every(Embedding.KL_EVERY)
                .lambda((float) lambda)
                .exact_repulsion_max_n(used.angle() == 0 ? Integer.MAX_VALUE : exactMaxN);
        return p;
    }

    private static void throwIfFailed(int rc, byte[] err) {
        if (NativeStatus.of(rc) != NativeStatus.OK) {
            throw new CudaException(SUBJECT, rc, HavTsneNative.message(err));
        }
    }

    /**
     * The CPU engine's starts (projection.Initialisation) of data rescaled as every backend rescales it
     * ({@link TsneInput#scaled}), so --backend cuda and cpu begin from the same points.
     */
    static FloatMatrix initialPoints(FloatMatrix data, TsneParameters params) {
        return startingPoints(TsneInput.scaled(data), params);
    }

    private static FloatMatrix startingPoints(FloatMatrix prepared, TsneParameters params) {
        return params.init() == TsneParameters.Init.PCA
                ? Initialisation.pcaStart(prepared, 2, params.randomState(), params.threads())
                : Initialisation.randomStart(prepared.rows(), 2, params.randomState());
    }

    /** What only this backend cannot do (the general checks are {@link TsneInput}'s). */
    private static void checkSupported(TsneInput in) {
        if (in.params().nComponents() != 2) {
            throw new HavException(SUBJECT, "only 2-D embeddings are implemented on the GPU, "
                    + in.params().nComponents() + " components requested", "use the CPU backend (--backend cpu)");
        }
        if (in.n() > (1 << 30)) {
            throw new HavException(SUBJECT, in.n() + " points is more than the GPU engine's 2^30", "subsample");
        }
    }

    /** {@code exact_repulsion_max_n}: it changes the result (exact or Barnes-Hut repulsion), so it is recorded. */
    @Override
    public java.util.Map<String, String> settings() {
        return java.util.Map.of("exact_repulsion_max_n", String.valueOf(exactRepulsionMaxN));
    }

    @Override
    public void close() {
        closed = true;  // nothing native is held between runs; closing twice is harmless
    }
}
