package org.hiddenactivity.projection;

/** The backend contract for the CPU engine: always run; bit-for-bit reproducible. */
class CpuTsneContractTest extends TsneBackendContract {
    @Override
    protected TsneBackend createBackend() {
        return new CpuTsne(2);
    }

    @Override
    protected double repeatTolerance() {
        return 0;
    }
}
