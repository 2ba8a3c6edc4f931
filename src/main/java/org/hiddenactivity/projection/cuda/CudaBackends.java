package org.hiddenactivity.projection.cuda;

import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.TsneBackend;

/**
 * How projection.TsneBackends picks the GPU: {@link #cudaOrThrow()} for "cuda", {@link #auto} for "auto" (the GPU
 * with a CPU fallback decided on the native status, {@link AutoTsne}, or the CPU alone, saying why).
 */
public final class CudaBackends {
    private CudaBackends() {}

    /**
     * "auto": where the GPU can run, a backend that uses it and falls back to {@code cpu} on the statuses of
     * {@link NativeStatus#cpuCanTakeOver}; else {@code cpu} itself, after a notice saying why.
     */
    public static TsneBackend auto(TsneBackend cpu) {
        CudaTsne cuda = autoOrNull();
        return cuda == null ? cpu : new AutoTsne(cuda, cpu);
    }

    /** The CUDA backend when it can run here, else null after a notice saying why. */
    public static CudaTsne autoOrNull() {
        CudaTsne cuda = new CudaTsne();
        if (cuda.availability().available()) {
            return cuda;
        }
        Warnings.notice("t-SNE on the CPU: " + cuda.availability().reason());
        return null;
    }

    /** The CUDA backend, or a HavException (exit code 3) saying why it cannot run here. */
    public static CudaTsne cudaOrThrow() {
        CudaTsne cuda = new CudaTsne();
        if (!cuda.availability().available()) {
            throw new HavException("t-SNE backend cuda", cuda.availability().reason(),
                    "use --backend cpu or --backend auto", HavException.EXIT_RUNTIME, null);
        }
        return cuda;
    }

    /** The reason the CUDA backend is unavailable, or "" when it is available. */
    public static String unavailableReason() {
        return new CudaTsne().availability().reason();
    }
}
