package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hiddenactivity.bench.GpuSelfCheck;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Numerical checks on a GPU; run with -Dhav.gpu.tests=true (the GPU kit runs the same GpuSelfCheck code). The
 * backend contract (CudaTsneContractTest) and the kernel's P rule (projection.SharedAffinityRuleTest) run there too.
 */
@EnabledIfSystemProperty(named = "hav.gpu.tests", matches = "true")
class CudaGpuTest {
    @Test
    void matchesTheExactReference() {
        try (CudaTsne cuda = CudaBackends.cudaOrThrow()) {
            Map<String, Object> r = GpuSelfCheck.compareWithExact(cuda, 400, 20);
            assertTrue((double) r.get("kl_rel_diff") <= GpuSelfCheck.KL_TOLERANCE, r.toString());
            assertTrue((double) r.get("trust_diff") <= GpuSelfCheck.TRUST_TOLERANCE, r.toString());
            assertTrue((double) r.get("reported_kl_rel_diff") <= 0.05, "reported KL is the KL: " + r);
        }
    }

    @Test
    void barnesHutPathMatchesTheExactReference() {
        try (CudaTsne cuda = new CudaTsne(0)) {
            Map<String, Object> r = GpuSelfCheck.compareWithExact(cuda, 400, 20);
            assertTrue((double) r.get("kl_rel_diff") <= GpuSelfCheck.KL_TOLERANCE, r.toString());
            assertTrue((double) r.get("trust_diff") <= GpuSelfCheck.TRUST_TOLERANCE, r.toString());
            assertTrue((double) r.get("reported_kl_rel_diff") <= 0.05, "reported KL is the KL: " + r);
        }
    }

    @Test
    void dynamicTermHoldsPointsTogether() {
        try (CudaTsne cuda = CudaBackends.cudaOrThrow()) {
            Map<String, Object> r = GpuSelfCheck.dynamicMovement(cuda, 500, 1.0);
            assertTrue((double) r.get("movement_lambda") < 0.5 * (double) r.get("movement_lambda0"), r.toString());
        }
    }

    /**
     * A real oversized run: 2^22 points at perplexity 1000 (k = 3000) need about 200 GB for P alone; the engine
     * plans its memory before allocating and returns HAV_ERR_MEMORY, which reaches Java as the enum constant.
     */
    @Test
    void oversizedInputFailsWithTheOutOfMemoryStatus() {
        int n = 1 << 22;
        java.util.Random r = new java.util.Random(1);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        FloatMatrix x = new FloatMatrix(n, 1, v);
        TsneParameters p = TsneParameters.defaults().withPerplexity(1000).withEarlyExaggerationIter(0).withMaxIter(1);
        try (CudaTsne cuda = CudaBackends.cudaOrThrow()) {
            CudaException e = assertThrows(CudaException.class,
                    () -> cuda.embed(x, p, FloatMatrix.zeros(n, 2), Progress.NONE));
            assertEquals(NativeStatus.OUT_OF_MEMORY, e.status(), e.getMessage());
            assertEquals(HavException.EXIT_RUNTIME, e.exitCode());
            assertTrue(e.status().cpuCanTakeOver());
        }
    }

    @Test
    void tooLargeInputIsAClearMemoryError() {
        try (CudaTsne cuda = CudaBackends.cudaOrThrow()) {
            long bytes = cuda.memoryEstimate(1 << 26, new int[] {100000}, TsneParameters.defaults());
            assertTrue(bytes > (1L << 40));
            long small = cuda.memoryEstimate(2000, new int[] {1000}, TsneParameters.defaults());
            assertTrue(small > 0 && small < (4L << 30), "estimate " + small);
        }
    }
}
