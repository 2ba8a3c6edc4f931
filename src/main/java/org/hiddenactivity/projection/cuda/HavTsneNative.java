package org.hiddenactivity.projection.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JNI binding of native/include/hav_tsne.h, generated and compiled by JavaCPP's Builder (native/build.sh).
 * Package-private: {@link CudaTsne} validates every argument before calling in. Loading fails with
 * UnsatisfiedLinkError when the native libraries were not built (no nvcc at build time).
 */
@Platform(value = "linux-x86_64", include = "hav_tsne.h", link = "hav_tsne")
final class HavTsneNative {
    /** Room for a native error message (status codes: {@link NativeStatus}). */
    static final int ERR_LEN = 2048;

    static {
        Loader.load();
    }

    private HavTsneNative() {}

    /** hav_tsne_params: every field set explicitly by {@link CudaTsne}. */
    @Name("hav_tsne_params")
    static final class Params extends Pointer {
        static {
            Loader.load();
        }

        Params() {
            allocate();
        }

        private native void allocate();

        native int n_neighbors(); native Params n_neighbors(int v);
        native float perplexity(); native Params perplexity(float v);
        native float early_exaggeration(); native Params early_exaggeration(float v);
        native int early_exaggeration_iter(); native Params early_exaggeration_iter(int v);
        native int max_iter(); native Params max_iter(int v);
        native float learning_rate(); native Params learning_rate(float v);
        native float theta(); native Params theta(float v);
        native float initial_momentum(); native Params initial_momentum(float v);
        native float final_momentum(); native Params final_momentum(float v);
        native float min_gain(); native Params min_gain(float v);
        native int kl_every(); native Params kl_every(int v);
        native float lambda(); native Params lambda(float v);
        native int exact_repulsion_max_n(); native Params exact_repulsion_max_n(int v);
    }

    static native int hav_cuda_device_count(int[] count, @Cast("char*") byte[] err, int errlen);

    static native int hav_cuda_device_info(@Cast("char*") byte[] name, int namelen, SizeTPointer totalBytes, SizeTPointer freeBytes,
                                           int[] ccMajor, int[] ccMinor, int[] driverVersion, int[] runtimeVersion,
                                           @Cast("char*") byte[] err, int errlen);

    static native int hav_tsne_memory_estimate(int n, @Const int[] dims, int snapshots, @Const Params p,
                                               SizeTPointer bytes, @Cast("char*") byte[] err, int errlen);

    static native int hav_tsne_run(@Const float[] x, int n, int d, @Const Params p, @Const float[] init, float[] outY,
                                   double[] outKl, double[] outKlHistory, double[] outSeconds, @Cast("char*") byte[] err, int errlen);

    static native int hav_tsne_run_dynamic(@Const float[] x, int snapshots, int n, @Const int[] dims, @Const Params p,
                                           @Const float[] init, float[] outY, double[] outKl, double[] outKlHistory,
                                           double[] outSeconds, @Cast("char*") byte[] err, int errlen);

    /**
     * Dynamic (or, with one snapshot, plain) t-SNE from the PCA start of snapshot 0 computed on the device from the
     * same input copy the kNN reads; x is pinned memory from {@link #hav_host_buffer_allocate} (or any native memory).
     * outSeconds: kNN, P, optimisation, total, PCA start, input copy.
     */
    static native int hav_tsne_run_pca(@Const FloatPointer x, int snapshots, int n, @Const int[] dims, @Const Params p,
                                       @Const double[] pcaQ0, int pcaK, int pcaIterations, int pcaSampleRows,
                                       float[] outStart, int[] outNoVariance, float[] outY, double[] outKl,
                                       double[] outKlHistory, double[] outSeconds, @Cast("char*") byte[] err,
                                       int errlen);

    /** Pinned host memory (cudaMallocHost) for inputs reused across runs; free with {@link #hav_host_buffer_free}. */
    static native int hav_host_buffer_allocate(@Cast("size_t") long bytes, @Cast("void**") @ByPtrPtr Pointer out,
                                               @Cast("char*") byte[] err, int errlen);

    static native int hav_host_buffer_free(Pointer buffer, @Cast("char*") byte[] err, int errlen);

    /**
     * Writes every field of {@code p} as the library reads it, "name=value;..." (floats with 9 significant digits),
     * into {@code out}. Calls no CUDA function: the parameter-flow test runs it without a GPU.
     */
    static native int hav_tsne_params_describe(@Const Params p, @Cast("char*") byte[] out, int outlen,
                                               @Cast("char*") byte[] err, int errlen);

    /**
     * The engine's conditional P over n rows of k squared distances (the perplexity search of perplexity.cu):
     * {@code onDevice} 1 runs the kernel the engine uses (needs a GPU), 0 the same row function compiled for the
     * host (no GPU needed). For the tests that hold it to {@code projection.Affinities}.
     */
    static native int hav_tsne_conditional_p(@Const float[] sqdist, int n, int k, float perplexity, int onDevice,
                                             float[] outP, @Cast("char*") byte[] err, int errlen);

    /** The NUL-terminated message a native call wrote into {@code err}. */
    static String message(byte[] err) {
        int len = 0;
        while (len < err.length && err[len] != 0) {
            len++;
        }
        return new String(err, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }
}
