package org.hiddenactivity.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;
import org.bytedeco.javacpp.Loader;

/**
 * The GPUs as NVML (through the bytedeco cuda preset) sees them: name, memory, driver, utilisation; for provenance
 * and {@code hav info}. Where the driver's NVML library is missing it says so (never throws, and gives up after
 * {@link #TIMEOUT_SECONDS} rather than hang). On a CUDA machine run with
 * {@code LD_LIBRARY_PATH=/usr/local/cuda/lib64 -Dorg.bytedeco.javacpp.pathsFirst=true}.
 */
public final class GpuInfo {
    public static final int TIMEOUT_SECONDS = 15;
    private static volatile Map<String, Object> cached;

    private GpuInfo() {}

    /** "gpu" -> "unavailable (reason)" or "gpu_count", "gpu0_name", "gpu0_memory_mib", ..., "gpu_driver". */
    public static Map<String, Object> describe() {
        Map<String, Object> c = cached;
        if (c != null) {
            return c;
        }
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hav-gpu-info");
            t.setDaemon(true);  // a hung driver call must not keep the JVM alive
            return t;
        });
        Map<String, Object> out;
        try {
            Future<Map<String, Object>> f = ex.submit(GpuInfo::query);
            out = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            out = unavailable("NVML did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            out = unavailable(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } finally {
            ex.shutdownNow();
        }
        cached = out;
        return out;
    }

    private static Map<String, Object> unavailable(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpu", "unavailable (" + reason + ")");
        return m;
    }

    private static Map<String, Object> query() {
        try {
            Loader.load(nvml.class);
        } catch (Throwable t) {
            return unavailable("NVML library not found (no NVIDIA driver here?): " + t.getClass().getSimpleName());
        }
        int rc = nvml.nvmlInit_v2();
        if (rc != nvml.NVML_SUCCESS) {
            return unavailable("nvmlInit failed: " + nvml.nvmlErrorString(rc).getString());
        }
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            byte[] text = new byte[256];
            if (nvml.nvmlSystemGetDriverVersion(text, text.length) == nvml.NVML_SUCCESS) {
                m.put("gpu_driver", cString(text));
            }
            int[] cudaVersion = new int[1];
            if (nvml.nvmlSystemGetCudaDriverVersion(cudaVersion) == nvml.NVML_SUCCESS) {
                m.put("gpu_driver_cuda", (cudaVersion[0] / 1000) + "." + (cudaVersion[0] % 1000) / 10);
            }
            int[] count = new int[1];
            rc = nvml.nvmlDeviceGetCount_v2(count);
            if (rc != nvml.NVML_SUCCESS) {
                return unavailable("nvmlDeviceGetCount failed: " + nvml.nvmlErrorString(rc).getString());
            }
            m.put("gpu_count", count[0]);
            for (int i = 0; i < count[0]; i++) {
                nvmlDevice_st dev = new nvmlDevice_st();
                if (nvml.nvmlDeviceGetHandleByIndex_v2(i, dev) != nvml.NVML_SUCCESS) {
                    continue;
                }
                if (nvml.nvmlDeviceGetName(dev, text, text.length) == nvml.NVML_SUCCESS) {
                    m.put("gpu" + i + "_name", cString(text));
                }
                try (nvmlMemory_t mem = new nvmlMemory_t()) {
                    if (nvml.nvmlDeviceGetMemoryInfo(dev, mem) == nvml.NVML_SUCCESS) {
                        m.put("gpu" + i + "_memory_mib", mem.total() >> 20);
                        m.put("gpu" + i + "_memory_free_mib", mem._free() >> 20);
                    }
                }
                try (nvmlUtilization_t u = new nvmlUtilization_t()) {
                    if (nvml.nvmlDeviceGetUtilizationRates(dev, u) == nvml.NVML_SUCCESS) {
                        m.put("gpu" + i + "_utilisation_percent", u.gpu());
                    }
                }
            }
            return m;
        } finally {
            nvml.nvmlShutdown();
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
