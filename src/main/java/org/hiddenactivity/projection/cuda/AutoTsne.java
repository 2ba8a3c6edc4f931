package org.hiddenactivity.projection.cuda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;

/**
 * {@code --backend auto} where a GPU can run: each run goes to the GPU backend, and is redone on the CPU backend,
 * with a warning, when the GPU run fails with a status the CPU can take over ({@link NativeStatus#cpuCanTakeOver}:
 * out of memory, no device, no driver) or asks for what the GPU does not implement (not 2-D). Any other failure is
 * reported as it is. The decision is on the status code, never on the message.
 */
final class AutoTsne implements TsneBackend {
    private final TsneBackend gpu;
    private final TsneBackend cpu;

    AutoTsne(TsneBackend gpu, TsneBackend cpu) {
        this.gpu = gpu;
        this.cpu = cpu;
    }

    /** The GPU backend's name: it runs whatever it can; {@link Embedding#backend()} says which one did. */
    @Override
    public String name() {
        return gpu.name();
    }

    @Override
    public Availability availability() {
        return gpu.availability();
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>(gpu.settings());
        s.put("fallback", cpu.name() + " when the GPU lacks memory or a device, or for other than 2-D");
        return s;
    }

    @Override
    public Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress) {
        if (params != null && params.nComponents() != 2) {
            Warnings.warnOnce("auto-components", "t-SNE on the CPU: the GPU backend is 2-D only");
            return cpu.embed(data, params, initial, progress);
        }
        try {
            return gpu.embed(data, params, initial, progress);
        } catch (CudaException e) {
            fallBackOrThrow(e);
            return cpu.embed(data, params, initial, progress);
        }
    }

    @Override
    public List<Embedding> embedDynamic(List<FloatMatrix> snapshots, TsneParameters params, double lambda,
                                        Progress progress) {
        if (params != null && params.nComponents() != 2) {
            Warnings.warnOnce("auto-components", "t-SNE on the CPU: the GPU backend is 2-D only");
            return cpu.embedDynamic(snapshots, params, lambda, progress);
        }
        try {
            return gpu.embedDynamic(snapshots, params, lambda, progress);
        } catch (CudaException e) {
            fallBackOrThrow(e);
            return cpu.embedDynamic(snapshots, params, lambda, progress);
        }
    }

    private static void fallBackOrThrow(CudaException e) {
        if (!e.status().cpuCanTakeOver()) {
            throw e;
        }
        Warnings.warn("t-SNE on the CPU instead: " + e.problem());
    }

    @Override
    public void close() {
        try {
            gpu.close();
        } finally {
            cpu.close();
        }
    }
}
