package org.hiddenactivity.projection.cuda;

import org.hiddenactivity.projection.TsneBackend;
import org.hiddenactivity.projection.TsneBackendContract;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The backend contract for the CUDA engine, on a GPU machine: {@code mvn test -Dhav.gpu.tests=true
 * -Dtest='CudaTsneContractTest,CudaGpuTest'}. The repeat tolerance allows for the GPU's atomic float sums, whose
 * order varies from run to run; a run that is bit for bit reproducible passes it too.
 */
@EnabledIfSystemProperty(named = "hav.gpu.tests", matches = "true")
class CudaTsneContractTest extends TsneBackendContract {
    @Override
    protected TsneBackend createBackend() {
        return CudaBackends.cudaOrThrow();
    }

    @Override
    protected double repeatTolerance() {
        return 0.05;
    }
}
