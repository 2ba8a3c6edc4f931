package org.hiddenactivity.projection.cuda;

import org.bytedeco.javacpp.Loader;
import org.hiddenactivity.core.HavException;

/**
 * Each stage of the CUDA engine on its own (native/include/hav_stages.h), for the tests that compare it with the CPU
 * engine (projection.CudaKernelsOnHostTest). {@code onDevice} false runs the stage's serial host launch over the
 * same __host__ __device__ arithmetic its kernels call (no GPU needed; built by g++ even without nvcc); true runs
 * the kernels themselves (a GPU and a build with nvcc).
 */
public final class CudaStages {
    private static final String SUBJECT = "CUDA stage";

    private static final int ERR_LEN = 2048;
    /** projection.Initialisation's PCA rule (its package-private constants; a test checks they agree). */
    public static final int PCA_OVERSAMPLE = 8;
    public static final int PCA_ITERATIONS = 4;
    public static final int PCA_SAMPLE_ROWS = 10_000;

    private CudaStages() {}

    /** Whether this build holds the stage library (it does wherever native/build.sh found g++). */
    public static boolean built() {
        return HavStagesNative.class.getResource("linux-x86_64/libjniHavStagesNative.so") != null;
    }

    /** Whether the stage library holds the kernels (built with nvcc); false for the host-only build. */
    public static boolean haveKernels() {
        return load() && HavStagesNative.hav_stages_have_kernels() == 1;
    }

    /**
     * The first directions of the PCA start, d x k row-major: seeded Gaussians drawn as projection.Initialisation
     * draws them, so both engines iterate from the same subspace.
     */
    public static double[] pcaDirections(int d, int k, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] q = new double[d * k];
        for (int i = 0; i < q.length; i++) {
            q[i] = random.nextGaussian();
        }
        return q;
    }

    private static boolean load() {
        if (!built()) {
            throw new HavException(SUBJECT, "the native stage library is not built",
                    "build with native/build.sh (needs g++)", HavException.EXIT_RUNTIME, null);
        }
        Loader.load(HavStagesNative.class);
        return true;
    }

    private static void check(int rc, byte[] err) {
        if (NativeStatus.of(rc) != NativeStatus.OK) {
            // not HavTsneNative.message: that class loads the engine library, which a host-only build lacks
            int len = 0;
            while (len < err.length && err[len] != 0) {
                len++;
            }
            throw new CudaException(SUBJECT, rc, new String(err, 0, len, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void size(String what, long have, long want) {
        if (have != want) {
            throw new IllegalArgumentException(what + " has " + have + " values, expected " + want);
        }
    }

    private static int flag(boolean onDevice) {
        return onDevice ? 1 : 0;
    }

    /** Exact kNN: n x k indices and squared distances (each row's order unspecified). */
    public record Knn(int[] index, float[] sqDistances) {}

    /** The joint P as CSR and its sum p log p. */
    public record Csr(int n, int[] rowStart, int[] col, float[] val, double plogp) {}

    /** A Barnes-Hut tree: box (min x, min y, side), Morton order, children, node summaries (com x, com y, mass, side^2). */
    public record Tree(float[] box, int[] order, int[] child, float[] node) {}

    /** Attraction (exaggerated, without the factor 4), unnormalised repulsion, Z and the KL. */
    public record Forces(float[] attraction, float[] repulsion, double z, double kl) {}

    public static Knn knn(float[] x, int n, int d, int k, boolean onDevice) {
        load();
        size("x", x.length, (long) n * d);
        int[] idx = new int[n * k];
        float[] dist = new float[n * k];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_knn(x, n, d, k, flag(onDevice), idx, dist, err, err.length), err);
        return new Knn(idx, dist);
    }

    public static float[] conditionalP(float[] sqDist, int n, int k, double perplexity, boolean onDevice) {
        load();
        size("sqDist", sqDist.length, (long) n * k);
        float[] out = new float[n * k];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_conditional_p(sqDist, n, k, (float) perplexity, flag(onDevice), out, err,
                err.length), err);
        return out;
    }

    public static Csr symmetrize(int[] idx, float[] pcond, int n, int k, boolean onDevice) {
        load();
        size("idx", idx.length, (long) n * k);
        size("pcond", pcond.length, (long) n * k);
        int[] rowPtr = new int[n + 1];
        int[] col = new int[2 * n * k];
        float[] val = new float[2 * n * k];
        int[] nnz = new int[1];
        double[] plogp = new double[1];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_symmetrize(idx, pcond, n, k, flag(onDevice), rowPtr, col, val, nnz, plogp,
                err, err.length), err);
        return new Csr(n, rowPtr, java.util.Arrays.copyOf(col, nnz[0]), java.util.Arrays.copyOf(val, nnz[0]),
                plogp[0]);
    }

    public static Tree tree(float[] y, int n, boolean onDevice) {
        load();
        size("y", y.length, 2L * n);
        float[] box = new float[3];
        int[] order = new int[n];
        int[] child = new int[2 * (n - 1)];
        float[] node = new float[4 * (n - 1)];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_tree(y, n, flag(onDevice), box, order, child, node, err, err.length), err);
        return new Tree(box, order, child, node);
    }

    public static Forces forces(Csr p, float[] y, float exaggeration, float theta, boolean exact, boolean onDevice) {
        load();
        int n = p.n();
        size("y", y.length, 2L * n);
        float[] attr = new float[2 * n];
        float[] rep = new float[2 * n];
        double[] z = new double[1];
        double[] kl = new double[1];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_forces(p.rowStart(), p.col(), p.val(), n, p.plogp(), y, exaggeration, theta,
                exact ? 1 : 0, flag(onDevice), attr, rep, z, kl, err, err.length), err);
        return new Forces(attr, rep, z[0], kl[0]);
    }

    /** One gradient step in place over stacked snapshots (y, update, gains, attraction, repulsion: snapshots x n x 2). */
    public static void update(float[] y, float[] update, float[] gains, float[] attraction, float[] repulsion,
                              double[] z, int n, float learningRate, float momentum, float minGain, boolean onDevice) {
        load();
        int snapshots = z.length;
        for (float[] a : new float[][] {y, update, gains, attraction, repulsion}) {
            size("a state array", a.length, 2L * n * snapshots);
        }
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_update(y, update, gains, attraction, repulsion, z, n, snapshots, learningRate,
                momentum, minGain, flag(onDevice), err, err.length), err);
    }

    /** Dynamic t-SNE's proximal step in place on y (snapshots x n x 2), c = learning rate x lambda / n. */
    public static void proximal(float[] y, int n, int snapshots, double c, boolean onDevice) {
        load();
        size("y", y.length, 2L * n * snapshots);
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_proximal(y, n, snapshots, c, flag(onDevice), err, err.length), err);
    }

    /** The PCA start (n x 2) from the directions q0 (d x k), or null when the data have no variance. */
    public static float[] pca(float[] x, int n, int d, double[] q0, int k, int iterations, int sampleRows,
                              boolean onDevice) {
        load();
        size("x", x.length, (long) n * d);
        size("q0", q0.length, (long) d * k);
        float[] y = new float[2 * n];
        int[] noVariance = new int[1];
        byte[] err = new byte[ERR_LEN];
        check(HavStagesNative.hav_stage_pca(x, n, d, q0, k, iterations, sampleRows, flag(onDevice), y, noVariance,
                err, err.length), err);
        return noVariance[0] == 1 ? null : y;
    }
}
