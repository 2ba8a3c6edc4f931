package org.hiddenactivity.neurons;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.bytedeco.openblas.global.openblas;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

/**
 * The dissimilarities do not depend on OpenBLAS's process-wide thread count, which other stages change (the t-SNE
 * start sets it to 1). They did (issue 20): a JVM's first neuron map, computed before any t-SNE, got other bits
 * than the later ones, and t-SNE turned that into a different layout (KL 0.765 vs 0.700 on 255 neurons).
 */
class DissimilarityThreadsTest {
    @Test
    void sameBitsWhateverOpenBlasThreadCountWasSetBefore() {
        Random r = new Random(11);
        int n = 300;
        int m = 256;
        float[] v = new float[n * m];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.max(0, r.nextGaussian() + 0.3 * Math.sin(i % m));
        }
        FloatMatrix acts = new FloatMatrix(n, m, v);
        int before = openblas.blas_get_num_threads();
        try {
            openblas.blas_set_num_threads(4);
            double[] many = NeuronDissimilarity.of(acts).distances();
            openblas.blas_set_num_threads(1);
            double[] one = NeuronDissimilarity.of(acts).distances();
            assertArrayEquals(one, many);
        } finally {
            openblas.blas_set_num_threads(before);
        }
    }
}
