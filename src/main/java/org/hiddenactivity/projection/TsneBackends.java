package org.hiddenactivity.projection;

import org.hiddenactivity.core.HavException;

/** Chooses a t-SNE backend by name ("cpu", "cuda", "auto"); the CUDA build extends this one place. */
public final class TsneBackends {
    private TsneBackends() {}

    /**
     * @param name    "cpu", "cuda" or "auto" (the best available: the CPU in this build)
     * @param threads CPU threads; {@code <= 0} = all cores
     */
    public static TsneBackend select(String name, int threads) {
        switch (name == null ? "auto" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu":
            case "auto":
                return new CpuTsne(threads);
            case "cuda":
                throw new HavException("--backend cuda", "CUDA backend not built in this build",
                        "use --backend cpu (or auto)");
            default:
                throw new HavException("--backend " + name, "unknown t-SNE backend", "use cpu, cuda or auto");
        }
    }
}
