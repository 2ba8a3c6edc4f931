package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hiddenactivity.bench.GpuSelfCheck;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Initialisation;
import org.hiddenactivity.projection.TsneInput;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/** The starts and the exact-reference comparison the GPU checks rely on, tested on the CPU. */
class ReferenceAndInitTest {
    @Test
    void cudaStartsFromTheCpuEnginesPoints() {
        FloatMatrix x = GpuSelfCheck.clusters(300, 12, 3, 1);
        TsneParameters params = TsneParameters.defaults().withRandomState(4);
        // from the data as every backend prepares it (TsneInput), as CpuTsne starts
        assertArrayEquals(Initialisation.pcaStart(TsneInput.scaled(x), 2, 4, 1).data(),
                CudaTsne.initialPoints(x, params).data());
        assertArrayEquals(Initialisation.randomStart(300, 2, 4).data(),
                CudaTsne.initialPoints(x, params.withInit(TsneParameters.Init.RANDOM)).data());
    }

    @Test
    void selfCheckPassesBarnesHutAndFailsAScrambledLayout() {
        FloatMatrix x = GpuSelfCheck.clusters(150, 10, 3, 4);
        TsneParameters params = TsneParameters.defaults().withMaxIter(400).withThreads(2);
        FloatMatrix init = CudaTsne.initialPoints(x, params);
        Embedding bh = new CpuTsne().embed(x, params, init, Progress.NONE);
        Map<String, Object> good = GpuSelfCheck.compare(x, params, init, bh);
        assertEquals(true, good.get("pass"), good.toString());
        assertTrue((double) good.get("trust_reference") > 0.9, good.toString());
        assertTrue((double) good.get("kl_reference") < 1.5, good.toString());
        // the check can fail: a random layout with the right shape is far from the reference
        FloatMatrix noise = CudaTsne.initialPoints(x, params.withInit(TsneParameters.Init.RANDOM));
        Embedding scrambled = new Embedding(noise, bh.klDivergence(), new double[0], 0, "test", "none", 30);
        Map<String, Object> bad = GpuSelfCheck.compare(x, params, init, scrambled);
        assertEquals(false, bad.get("pass"), bad.toString());
        assertTrue((double) bad.get("trust_cuda") < 0.75, bad.toString());
    }
}
