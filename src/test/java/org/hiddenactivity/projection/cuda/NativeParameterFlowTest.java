package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;
import org.hiddenactivity.bench.GpuSelfCheck;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/**
 * Every field of {@link TsneParameters} reaches the native engine: set to distinct values, read back from the struct
 * as libhav_tsne.so reads it ({@code hav_tsne_params_describe}, no GPU needed). Runs wherever the library was built
 * (nvcc present: CudaBackendTest checks it is built there); a new field that is not mapped below fails the test.
 */
class NativeParameterFlowTest {
    private static Map<String, String> readBack(HavTsneNative.Params p) {
        byte[] out = new byte[1024];
        byte[] err = new byte[HavTsneNative.ERR_LEN];
        int rc = HavTsneNative.hav_tsne_params_describe(p, out, out.length, err, err.length);
        assertEquals(NativeStatus.OK, NativeStatus.of(rc), HavTsneNative.message(err));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String kv : HavTsneNative.message(out).split(";")) {
            String[] parts = kv.split("=", 2);
            fields.put(parts[0], parts[1]);
        }
        return fields;
    }

    private static float f(Map<String, String> m, String key) {
        return Float.parseFloat(m.get(key));
    }

    private static int i(Map<String, String> m, String key) {
        return Integer.parseInt(m.get(key));
    }

    @Test
    void everyParameterReachesTheNativeStruct() {
        assumeTrue(CudaTsne.built(), "the CUDA library is not built here (no nvcc)");
        Loader.load(HavTsneNative.class);
        int n = 5000;
        // distinct values, none a default, all exact in float
        TsneParameters explicit = new TsneParameters(2, 7.25, 13.5, 123, 456, 321.5, 0.375, 0.4375, 0.8125, 0.0234375,
                TsneParameters.Init.RANDOM, 17, 3, 2.5);
        Map<String, String> m = readBack(CudaTsne.nativeParams(explicit, n, 0.625, 777));
        // the native struct has exactly these fields: a new one must be added here
        assertEquals(Set.of("n_neighbors", "perplexity", "early_exaggeration", "early_exaggeration_iter", "max_iter",
                "learning_rate", "theta", "initial_momentum", "final_momentum", "min_gain", "kl_every", "lambda",
                "exact_repulsion_max_n"), m.keySet());
        Set<String> checked = new TreeSet<>();
        assertEquals(7.25f, f(m, "perplexity"));
        assertEquals(21, i(m, "n_neighbors"), "floor(3 x perplexity)");
        checked.add("perplexity");
        assertEquals(13.5f, f(m, "early_exaggeration"));
        checked.add("earlyExaggeration");
        assertEquals(123, i(m, "early_exaggeration_iter"));
        checked.add("earlyExaggerationIter");
        assertEquals(456, i(m, "max_iter"));
        checked.add("maxIter");
        assertEquals(321.5f, f(m, "learning_rate"));
        checked.add("learningRate");
        assertEquals(0.375f, f(m, "theta"));
        checked.add("angle");
        assertEquals(0.4375f, f(m, "initial_momentum"));
        checked.add("initialMomentum");
        assertEquals(0.8125f, f(m, "final_momentum"));
        checked.add("finalMomentum");
        assertEquals(0.0234375f, f(m, "min_gain"));
        checked.add("minGain");
        assertEquals(Embedding.KL_EVERY, i(m, "kl_every"));
        assertEquals(0.625f, f(m, "lambda"));
        assertEquals(777, i(m, "exact_repulsion_max_n"));

        // learningRateDivisor: "auto" = max(n / (divisor x exaggeration), 50)
        Map<String, String> auto = readBack(CudaTsne.nativeParams(explicit.withLearningRate(TsneParameters.AUTO), n,
                0, 777));
        assertEquals((float) (n / (2.5 * 13.5)), f(auto, "learning_rate"));
        checked.add("learningRateDivisor");
        // angle 0 means exact repulsion at any n
        assertEquals(Integer.MAX_VALUE, i(readBack(CudaTsne.nativeParams(explicit.withAngle(0), n, 0, 777)),
                "exact_repulsion_max_n"));
        // the small-input rule is applied before the struct is filled (CudaTsne passes forPoints(n))
        Map<String, String> small = readBack(CudaTsne.nativeParams(explicit.forPoints(10), 10, 0, 777));
        assertEquals(3.0f, f(small, "perplexity"));
        assertEquals(9, i(small, "n_neighbors"));

        // the fields that act in Java: the starting points (init, randomState, threads) and the 2-D check
        FloatMatrix x = GpuSelfCheck.clusters(200, 6, 3, 2);
        FloatMatrix random17 = CudaTsne.initialPoints(x, explicit);
        assertFalse(java.util.Arrays.equals(random17.data(), CudaTsne.initialPoints(x,
                explicit.withInit(TsneParameters.Init.PCA)).data()), "init reaches the start");
        checked.add("init");
        assertFalse(java.util.Arrays.equals(random17.data(), CudaTsne.initialPoints(x,
                explicit.withRandomState(18)).data()), "randomState reaches the start");
        checked.add("randomState");
        TsneParameters pca = explicit.withInit(TsneParameters.Init.PCA);
        assertArrayEquals(CudaTsne.initialPoints(x, pca.withThreads(1)).data(),
                CudaTsne.initialPoints(x, pca.withThreads(3)).data(), "threads parallelise the PCA start only");
        checked.add("threads");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(org.hiddenactivity.core.HavException.class,
                () -> new CudaTsne().embed(x, new TsneParameters(3, 30, 12, 250, 1000, TsneParameters.AUTO, 0.5, 0.5,
                        0.8, 0.01, TsneParameters.Init.PCA, 0, 0, 4), null, org.hiddenactivity.core.Progress.NONE))
                .getMessage().contains("2-D"));
        checked.add("nComponents");

        // the CPU backend's scalability choices: the CUDA backend has its own rule and says so when one is made
        try (org.hiddenactivity.core.Warnings.Recorder w = org.hiddenactivity.core.Warnings.record()) {
            org.hiddenactivity.core.Warnings.resetOnce();
            CudaTsne.warnCpuOnlyChoices(explicit.withRepulsion(TsneParameters.Repulsion.FFT)
                    .withNeighbourSearch(TsneParameters.NeighbourSearch.APPROXIMATE));
            assertTrue(w.warned("--repulsion fft is a CPU-backend choice"), w.warnings().toString());
            assertTrue(w.warned("--neighbours approximate is a CPU-backend choice"), w.warnings().toString());
        }
        checked.add("repulsion");
        checked.add("neighbourSearch");

        // the metric acts in TsneInput, the one entry of both backends: CudaTsne embeds TsneInput.of(...).data()
        FloatMatrix cosine = org.hiddenactivity.projection.TsneInput.of(x,
                explicit.withMetric(TsneParameters.Metric.COSINE), null).data();
        double first = 0;
        for (int r = 0; r < cosine.rows(); r++) {
            double ss = 0;
            for (int c = 0; c < cosine.cols(); c++) {
                ss += cosine.get(r, c) * cosine.get(r, c);
            }
            first = r == 0 ? ss : first;
            // one length for every row (1, times TsneInput's power-of-two rescaling)
            assertEquals(first, ss, 1e-5 * first, "cosine: rows of equal length reach the backend");
        }
        checked.add("metric");

        Set<String> all = new TreeSet<>();
        for (RecordComponent c : TsneParameters.class.getRecordComponents()) {
            all.add(c.getName());
        }
        assertEquals(all, checked, "every TsneParameters field must be checked to reach the native side");
    }
}
