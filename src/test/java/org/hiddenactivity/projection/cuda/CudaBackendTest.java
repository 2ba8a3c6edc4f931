package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.hiddenactivity.bench.GpuSelfCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.GpuInfo;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/** What holds on every machine: the build, the binding, the reasons given without a GPU, the Java-side checks. */
class CudaBackendTest {
    private static boolean nvccPresent() {
        if ("1".equals(System.getenv("HAV_NATIVE_HOST_ONLY"))) {
            return false;  // native/build.sh was told to ignore nvcc
        }
        if (Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) {
            return true;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void nativeLibrariesAreBuiltExactlyWhenNvccIsPresent() {
        CudaTsne cuda = new CudaTsne();
        if (nvccPresent()) {
            assertTrue(CudaTsne.built(), "nvcc is here, so native/build.sh must have put both .so in the classes");
        } else {
            assertFalse(cuda.availability().available());
            assertTrue(cuda.availability().reason().contains("not built"), cuda.availability().reason());
        }
    }

    @Test
    void bindingLoadsAndNamesWhyTheGpuIsMissing() {
        assumeFalse(Boolean.getBoolean("hav.gpu.tests"), "a GPU machine: see CudaGpuTest");
        CudaTsne cuda = new CudaTsne();
        TsneBackend.Availability a = cuda.availability();
        if (a.available()) {
            return;  // a GPU without the switch: nothing to assert about its absence
        }
        assertFalse(a.reason().isBlank());
        if (CudaTsne.built()) {
            // The library loaded and asked the driver: the answer is a driver or device reason, not a load failure.
            assertFalse(a.reason().startsWith("CUDA backend could not be loaded"), a.reason());
            assertTrue(a.reason().contains("driver") || a.reason().contains("device"), a.reason());
        }
        assertNull(CudaBackends.autoOrNull(), "auto must fall back to the CPU");
        HavException e = assertThrows(HavException.class, CudaBackends::cudaOrThrow);
        assertEquals(HavException.EXIT_RUNTIME, e.exitCode());
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        HavException run = assertThrows(HavException.class, () -> cuda.embed(
                GpuSelfCheck.clusters(50, 5, 2, 1), TsneParameters.defaults(), null, Progress.NONE));
        assertEquals(HavException.EXIT_RUNTIME, run.exitCode());
    }

    @Test
    void gpuInfoAnswersWithoutThrowing() {
        var info = GpuInfo.describe();
        assertFalse(info.isEmpty());
        if (info.containsKey("gpu")) {
            assertTrue(info.get("gpu").toString().startsWith("unavailable ("), info.toString());
        } else {
            assertTrue(info.containsKey("gpu_count"), info.toString());
        }
    }

    @Test
    void badInputIsRejectedInJavaWithWhatWasExpected() {
        CudaTsne cuda = new CudaTsne();
        TsneParameters p = TsneParameters.defaults();
        FloatMatrix x = GpuSelfCheck.clusters(40, 4, 2, 1);
        FloatMatrix nan = x.copy();
        nan.set(7, 2, Float.NaN);
        HavException e1 = assertThrows(HavException.class, () -> cuda.embed(nan, p, null, Progress.NONE));
        assertTrue(e1.getMessage().contains("row 7, column 2"), e1.getMessage());
        HavException e2 = assertThrows(HavException.class, () -> cuda.embed(x, new TsneParameters(3, 30, 12, 250,
                1000, TsneParameters.AUTO, 0.5, 0.5, 0.8, 0.01, TsneParameters.Init.PCA, 0, 0, 4), null, Progress.NONE));
        assertTrue(e2.getMessage().contains("2-D"), e2.getMessage());
        HavException e3 = assertThrows(HavException.class,
                () -> cuda.embed(x, p, FloatMatrix.zeros(39, 2), Progress.NONE));
        assertTrue(e3.getMessage().contains("expected 40 x 2"), e3.getMessage());
        HavException e4 = assertThrows(HavException.class, () -> cuda.embedDynamic(
                List.of(x, GpuSelfCheck.clusters(41, 4, 2, 1)), p, 0.1, Progress.NONE));
        assertTrue(e4.getMessage().contains("41 rows"), e4.getMessage());
        HavException e5 = assertThrows(HavException.class, () -> cuda.embedDynamic(List.of(x, x), p, -1, Progress.NONE));
        assertTrue(e5.getMessage().contains("lambda"), e5.getMessage());
        assertThrows(HavException.class, () -> cuda.embed(FloatMatrix.zeros(1, 3), p, null, Progress.NONE));
    }

    @Test
    void closingTwiceIsHarmless() {
        CudaTsne cuda = new CudaTsne();
        cuda.close();
        cuda.close();
        assertThrows(IllegalStateException.class,
                () -> cuda.embed(GpuSelfCheck.clusters(20, 3, 2, 1), TsneParameters.defaults(), null, Progress.NONE));
    }
}
