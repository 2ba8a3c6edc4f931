package org.hiddenactivity.projection.cuda;

import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.core.HavException;

/**
 * How projection.TsneBackends picks the GPU: {@link #cudaOrThrow()} for "cuda", {@link #autoOrNull()} for "auto"
 * (null means: use the CPU backend; the reason has been printed on stderr).
 */
public final class CudaBackends {
    private CudaBackends() {}

    /** The CUDA backend when it can run here, else null after printing why on stderr. */
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
