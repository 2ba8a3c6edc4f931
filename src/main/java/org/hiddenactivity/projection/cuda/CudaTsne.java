package org.hiddenactivity.projection.cuda;

import org.hiddenactivity.core.Warnings;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Initialisation;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;

/**
 * Barnes-Hut t-SNE on an NVIDIA GPU: native/ (CUDA) through the C header native/include/hav_tsne.h.
 * Same semantics as the CPU backend (docs/design.md); 2-D only. Every argument is checked here before the call
 * crosses into native code; a native failure becomes a {@link HavException} with the CUDA error text (exit code 3).
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
        int rc = HavTsneNative.hav_cuda_device_count(count, err, err.length);
        if (rc == HavTsneNative.HAV_ERR_NO_DRIVER) {
            return Availability.no(HavTsneNative.message(err));
        }
        if (rc == HavTsneNative.HAV_ERR_NO_DEVICE) {
            return Availability.no(HavTsneNative.message(err));
        }
        if (rc != HavTsneNative.HAV_OK) {
            return Availability.no("CUDA is not usable: " + HavTsneNative.message(err));
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
            if (rc != HavTsneNative.HAV_OK) {
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

    @Override
    public Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress) {
        List<Embedding> out = run(List.of(data), params, initial, 0, progress);
        return out.get(0);
    }

    /**
     * Dynamic t-SNE of all snapshots together; every snapshot starts from the same points (the PCA of the first,
     * or random), so that the movement term starts at 0.
     */
    @Override
    public List<Embedding> embedDynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda,
                                        Progress progress) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new HavException(SUBJECT, "lambda must be a finite number >= 0, got " + lambda, "pass e.g. 0.1");
        }
        return run(snapshots, params, null, lambda, progress);
    }

    private List<Embedding> run(List<FloatMatrix> snapshots, TsneParameters params, FloatMatrix initial, double lambda,
                                Progress progress) {
        if (closed) {
            throw new IllegalStateException("CudaTsne is closed");
        }
        long start = System.nanoTime();
        Checked c = check(snapshots, params, initial);
        Availability a = availability();
        if (!a.available()) {
            throw new HavException(SUBJECT, a.reason(), "use the CPU backend (--backend cpu)",
                    HavException.EXIT_RUNTIME, null);
        }
        int n = c.n;
        int t = snapshots.size();
        FloatMatrix init = initial != null ? initial : initialPoints(snapshots.get(0), params);
        float[] initAll = new float[t * n * 2];
        for (int s = 0; s < t; s++) {
            System.arraycopy(init.data(), 0, initAll, s * n * 2, n * 2);
        }
        int[] dims = new int[t];
        long total = 0;
        for (int s = 0; s < t; s++) {
            dims[s] = snapshots.get(s).cols();
            total += (long) n * dims[s];
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
        int historyLength = params.maxIter() / Embedding.KL_EVERY;
        float[] y = new float[t * n * 2];
        double[] kl = new double[t];
        double[] history = new double[Math.max(1, t * historyLength)];
        double[] seconds = new double[4];
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        int rc;
        try (HavTsneNative.Params p = nativeParams(params, n, c.perplexity, lambda, exactRepulsionMaxN)) {
            progress.message("CUDA t-SNE of " + t + " x " + n + " points on " + a.device());
            rc = t == 1
                    ? HavTsneNative.hav_tsne_run(x, n, dims[0], p, initAll, y, kl, history, seconds, err, err.length)
                    : HavTsneNative.hav_tsne_run_dynamic(x, t, n, dims, p, initAll, y, kl, history, seconds, err,
                    err.length);
        }
        throwIfFailed(rc, err);
        lastNativeSeconds = seconds;
        double wall = (System.nanoTime() - start) / 1e9;
        List<Embedding> out = new ArrayList<>(t);
        for (int s = 0; s < t; s++) {
            float[] ys = java.util.Arrays.copyOfRange(y, s * n * 2, (s + 1) * n * 2);
            double[] hs = java.util.Arrays.copyOfRange(history, s * historyLength, (s + 1) * historyLength);
            out.add(new Embedding(new FloatMatrix(n, 2, ys), kl[s], hs, wall, "cuda", a.device(), c.perplexity));
        }
        return out;
    }

    /** Peak GPU memory in bytes a run of these snapshots would need (asks the driver for free memory too). */
    public long memoryEstimate(int n, int[] dims, TsneParameters params) {
        Availability a = availability();
        if (!a.available()) {
            throw new HavException(SUBJECT, a.reason(), "use the CPU backend (--backend cpu)",
                    HavException.EXIT_RUNTIME, null);
        }
        double perplexity = usablePerplexity(params.perplexity(), n);
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        try (HavTsneNative.Params p = nativeParams(params, n, perplexity, 0, exactRepulsionMaxN);
             SizeTPointer bytes = new SizeTPointer(1)) {
            int rc = HavTsneNative.hav_tsne_memory_estimate(n, dims, dims.length, p, bytes, err, err.length);
            throwIfFailed(rc, err);
            return bytes.get();
        }
    }

    private static HavTsneNative.Params nativeParams(TsneParameters params, int n, double perplexity, double lambda,
                                                     int exactMaxN) {
        HavTsneNative.Params p = new HavTsneNative.Params();
        p.n_neighbors(params.withPerplexity(perplexity).neighbours(n))
                .perplexity((float) perplexity)
                .early_exaggeration((float) params.earlyExaggeration())
                .early_exaggeration_iter(params.earlyExaggerationIter())
                .max_iter(params.maxIter())
                .learning_rate((float) params.effectiveLearningRate(n))
                .theta((float) params.angle())
                .initial_momentum((float) params.initialMomentum())
                .final_momentum((float) params.finalMomentum())
                .min_gain((float) params.minGain())
                .kl_every(Embedding.KL_EVERY)
                .lambda((float) lambda)
                .exact_repulsion_max_n(params.angle() == 0 ? Integer.MAX_VALUE : exactMaxN);
        return p;
    }

    private static void throwIfFailed(int rc, byte[] err) {
        if (rc == HavTsneNative.HAV_OK) {
            return;
        }
        String text = HavTsneNative.message(err);
        String fix = switch (rc) {
            case HavTsneNative.HAV_ERR_MEMORY -> "use fewer points, or the CPU backend (--backend cpu)";
            case HavTsneNative.HAV_ERR_NO_DRIVER, HavTsneNative.HAV_ERR_NO_DEVICE -> "use the CPU backend (--backend cpu)";
            case HavTsneNative.HAV_ERR_CUDA -> "rerun with HAV_CUDA_SYNC=1 to locate the failing kernel, or use --backend cpu";
            default -> "please report this with the input's shape";
        };
        throw new HavException(SUBJECT, "native error " + rc + ": " + text, fix, HavException.EXIT_RUNTIME, null);
    }

    /** The CPU engine's starts (projection.Initialisation), so --backend cuda and cpu begin from the same points. */
    static FloatMatrix initialPoints(FloatMatrix data, TsneParameters params) {
        return params.init() == TsneParameters.Init.PCA
                ? Initialisation.pcaStart(data, 2, params.randomState(), params.threads())
                : Initialisation.randomStart(data.rows(), 2, params.randomState());
    }

    /** scikit-learn needs perplexity < n; tiny inputs get (n - 1) / 3 instead, with a warning. */
    static double usablePerplexity(double perplexity, int n) {
        if (perplexity < n) {
            return perplexity;
        }
        double lowered = Math.max(1.0, (n - 1) / 3.0);
        Warnings.warn(String.format(java.util.Locale.ROOT, "CUDA t-SNE: perplexity %.1f is not below the %d points; using %.2f", perplexity, n, lowered));
        return lowered;
    }

    private record Checked(int n, double perplexity) {}

    /** Every check the native side would otherwise fail on, with what was expected (style.md #7). */
    private static Checked check(List<FloatMatrix> snapshots, TsneParameters params, FloatMatrix initial) {
        if (params == null) {
            throw new HavException(SUBJECT, "no parameters given", "pass TsneParameters.defaults()");
        }
        if (snapshots == null || snapshots.isEmpty()) {
            throw new HavException(SUBJECT, "no data given", "pass at least one N x D matrix");
        }
        if (params.nComponents() != 2) {
            throw new HavException(SUBJECT, "only 2-D embeddings are implemented on the GPU, "
                    + params.nComponents() + " components requested", "use the CPU backend (--backend cpu)");
        }
        int n = snapshots.get(0).rows();
        for (int s = 0; s < snapshots.size(); s++) {
            FloatMatrix m = snapshots.get(s);
            String which = snapshots.size() == 1 ? "data" : "snapshot " + (s + 1);
            if (m.rows() != n) {
                throw new HavException(SUBJECT, which + " has " + m.rows() + " rows, the first has " + n,
                        "give every snapshot the same observations");
            }
            if (m.cols() < 1) {
                throw new HavException(SUBJECT, which + " has no columns", "pass at least one feature");
            }
            long bad = m.firstNonFinite();
            if (bad >= 0) {
                throw new HavException(SUBJECT, which + " holds a non-finite value at row " + bad / m.cols()
                        + ", column " + bad % m.cols(), "remove or impute NaN / infinite values first");
            }
        }
        if (n < 2) {
            throw new HavException(SUBJECT, "t-SNE needs at least 2 points, got " + n, "pass more observations");
        }
        if (n > (1 << 30)) {
            throw new HavException(SUBJECT, n + " points is more than the GPU engine's 2^30", "subsample");
        }
        if (initial != null) {
            if (initial.rows() != n || initial.cols() != 2) {
                throw new HavException(SUBJECT, "initial points are " + initial.rows() + " x " + initial.cols()
                        + ", expected " + n + " x 2", "pass one 2-D starting point per observation, or null");
            }
            if (initial.firstNonFinite() >= 0) {
                throw new HavException(SUBJECT, "initial points hold a non-finite value", "pass finite points");
            }
        }
        double perplexity = usablePerplexity(params.perplexity(), n);
        return new Checked(n, perplexity);
    }

    @Override
    public void close() {
        closed = true;  // nothing native is held between runs; closing twice is harmless
    }
}
