package org.hiddenactivity.projection;

import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.cuda.CudaBackends;

/** Chooses a t-SNE backend by name: "cpu", "cuda", or "auto" (CUDA when it can run here, else the CPU, saying why). */
public final class TsneBackends {
    /** The backend every command uses when none is named. */
    public static final String DEFAULT = "auto";

    private TsneBackends() {}

    /**
     * @param name    "cpu", "cuda" or "auto"
     * @param threads CPU threads; {@code <= 0} = all cores
     */
    public static TsneBackend select(String name, int threads) {
        switch (name == null ? DEFAULT : name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu":
                return new CpuTsne(threads);
            case "cuda":
                return CudaBackends.cudaOrThrow();
            case "auto":
                return CudaBackends.auto(new CpuTsne(threads));
            default:
                throw new HavException("--backend " + name, "unknown t-SNE backend", "use cpu, cuda or auto");
        }
    }
}
