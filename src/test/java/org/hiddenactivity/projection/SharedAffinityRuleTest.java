package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.cuda.CudaTsne;
import org.junit.jupiter.api.Test;

/**
 * The CUDA engine computes P with its own kernel; it must follow the CPU engine's rule ({@link
 * Affinities#conditionalRow}: row-minimum shift, scikit-learn's search, the row of the last beta evaluated). The
 * kernel's row function compiled for the host is compared here wherever the library is built; the kernel itself on
 * a GPU (-Dhav.gpu.tests=true).
 */
class SharedAffinityRuleTest {
    /** Rows that exercise every branch: kNN rows of real data, far-away rows, duplicates, unreachable perplexity. */
    private static float[] rows(int k) {
        FloatMatrix x = TestData.blobs(3, 40, 5, 7);
        int n = x.rows();
        float[] out = new float[(n + 3) * k];
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(TsneInput.scaled(x), k, w);
            System.arraycopy(nb.sqDistances(), 0, out, 0, n * k);
        }
        Random r = new Random(3);
        for (int e = 0; e < k; e++) {
            out[n * k + e] = 5e4f + 10 * r.nextFloat();   // exp(-d) underflows without the shift
            out[(n + 1) * k + e] = e < k / 2 ? 0 : 1;      // duplicates
            out[(n + 2) * k + e] = 1e-30f * e;             // nearly all equal
        }
        java.util.Arrays.sort(out, (n + 1) * k, (n + 2) * k);
        return out;
    }

    private static void assertSameRule(boolean onDevice) {
        assumeTrue(builtLibrary(), "the CUDA library is not built here (no nvcc)");
        int k = 24;
        float[] d = rows(k);
        int n = d.length / k;
        for (double perplexity : new double[] {8, 3.5, 1, 30}) {  // 30 > k: the search cannot converge
            float[] cuda = CudaTsne.conditionalP(d, n, k, perplexity, onDevice);
            double[] row = new double[k];
            for (int i = 0; i < n; i++) {
                Affinities.conditionalRow(d, i * k, k, perplexity, row);
                for (int e = 0; e < k; e++) {
                    assertEquals((float) row[e], cuda[i * k + e], 1e-6 * Math.max(row[e], 1e-3),
                            "perplexity " + perplexity + ", row " + i + ", entry " + e + (onDevice ? " (GPU)" : ""));
                }
            }
        }
    }

    private static boolean builtLibrary() {
        try {
            CudaTsne.conditionalP(new float[] {0, 1}, 1, 2, 1, false);
            return true;
        } catch (org.hiddenactivity.core.HavException e) {
            return false;
        }
    }

    @Test
    void theKernelsRowFunctionIsTheCpuRule() {
        assertSameRule(false);
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "hav.gpu.tests", matches = "true")
    void theKernelIsTheCpuRule() {
        assertSameRule(true);
    }
}
