package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.bench.GpuSelfCheck;
import java.util.Map;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Numerical checks on a GPU; run with -Dhav.gpu.tests=true (the GPU kit runs the same GpuSelfCheck code). */
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
