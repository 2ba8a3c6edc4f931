package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hiddenactivity.bench.GpuSelfCheck;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/**
 * "auto" falls back to the CPU on the native status code. Without a GPU here, the GPU side is a backend that fails
 * with a given status as the CUDA engine does (CudaGpuTest checks the real out-of-memory status on a GPU); the CPU
 * side is the real engine.
 */
class AutoTsneTest {
    private static final TsneParameters P = TsneParameters.builder().maxIter(100).threads(2).build();

    /** A GPU backend whose every run fails with {@code code}, as CudaTsne reports a native failure. */
    private record FailingGpu(int code) implements TsneBackend {
        @Override
        public String name() {
            return "cuda";
        }

        @Override
        public Availability availability() {
            return Availability.yes("test device");
        }

        @Override
        public Embedding embed(FloatMatrix data, TsneParameters params, FloatMatrix initial, Progress progress) {
            throw new CudaException("CUDA t-SNE", code, "failed with " + code);
        }

        @Override
        public List<Embedding> embedDynamic(List<FloatMatrix> s, TsneParameters p, double lambda, Progress progress) {
            throw new CudaException("CUDA t-SNE", code, "failed with " + code);
        }
    }

    @Test
    void outOfMemoryAndMissingDevicesFallBackToTheCpuWithAWarning() {
        FloatMatrix x = GpuSelfCheck.clusters(60, 4, 2, 1);
        Embedding cpu = new CpuTsne(2).embed(x, P, null, Progress.NONE);
        for (NativeStatus s : new NativeStatus[] {NativeStatus.OUT_OF_MEMORY, NativeStatus.NO_DEVICE,
                NativeStatus.NO_DRIVER}) {
            try (AutoTsne auto = new AutoTsne(new FailingGpu(s.code()), new CpuTsne(2));
                 Warnings.Recorder w = Warnings.record()) {
                Embedding e = auto.embed(x, P, null, Progress.NONE);
                assertEquals("cpu", e.backend());
                assertArrayEquals(cpu.points().data(), e.points().data());
                assertTrue(w.warned("CPU instead"), w.warnings().toString());
                assertEquals(2, auto.embedDynamic(List.of(x, x), P, 0.1, Progress.NONE).size());
            }
        }
    }

    @Test
    void otherFailuresAreReportedNotHidden() {
        FloatMatrix x = GpuSelfCheck.clusters(30, 4, 2, 1);
        for (int code : new int[] {NativeStatus.ARGUMENT.code(), NativeStatus.CUDA.code(),
                NativeStatus.INTERNAL.code(), 42}) {
            try (AutoTsne auto = new AutoTsne(new FailingGpu(code), new CpuTsne(2))) {
                CudaException e = assertThrows(CudaException.class, () -> auto.embed(x, P, null, Progress.NONE));
                assertEquals(code, e.code());
            }
        }
    }

    @Test
    void notTwoDimensionalGoesToTheCpuAndSettingsNameTheFallback() {
        FloatMatrix x = GpuSelfCheck.clusters(30, 4, 2, 1);
        TsneParameters threeD = new TsneParameters(3, 30, 12, 50, 100, TsneParameters.AUTO, 0.5, 0.5, 0.8, 0.01,
                TsneParameters.Init.PCA, 0, 2, 4);
        try (AutoTsne auto = new AutoTsne(new FailingGpu(NativeStatus.INTERNAL.code()), new CpuTsne(2))) {
            assertEquals(3, auto.embed(x, threeD, null, Progress.NONE).points().cols());
            assertTrue(auto.settings().containsKey("fallback"), auto.settings().toString());
            assertEquals("cuda", auto.name());
        }
        // without a usable GPU, auto is the CPU backend itself
        if (!new CudaTsne().availability().available()) {
            CpuTsne cpu = new CpuTsne(2);
            assertSame(cpu, CudaBackends.auto(cpu));
        }
    }
}
