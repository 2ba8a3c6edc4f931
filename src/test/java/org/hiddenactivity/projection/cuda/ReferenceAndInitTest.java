package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;

/** The exact reference and the PCA start the GPU checks rely on, tested on the CPU. */
class ReferenceAndInitTest {
    @Test
    void bandwidthSearchHitsThePerplexity() {
        double[] d = new double[90];
        Random r = new Random(2);
        for (int j = 0; j < d.length; j++) {
            d[j] = 1 + 50 * r.nextDouble();
        }
        double[] p = ExactTsne.conditional(d, 30);
        double sum = 0;
        double h = 0;
        for (double v : p) {
            sum += v;
            h -= v > 0 ? v * Math.log(v) : 0;
        }
        assertEquals(1, sum, 1e-9);
        assertEquals(30, Math.exp(h), 30 * 1e-4);
    }

    @Test
    void pcaStartFollowsTheMainAxisWithStd1e4() {
        Random r = new Random(5);
        int n = 500;
        int d = 30;
        double[] axis = new double[d];
        for (int j = 0; j < d; j++) {
            axis[j] = r.nextGaussian();
        }
        double norm = Math.sqrt(java.util.Arrays.stream(axis).map(v -> v * v).sum());
        float[] x = new float[n * d];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 10 * r.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (3 + t[i] * axis[j] / norm + 0.3 * r.nextGaussian());
            }
        }
        FloatMatrix y = PcaInit.compute(new FloatMatrix(n, d, x), 2, 1e-4, 0);
        double my = 0;
        double mt = 0;
        for (int i = 0; i < n; i++) {
            my += y.get(i, 0);
            mt += t[i];
        }
        my /= n;
        mt /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double a = y.get(i, 0) - my;
            double b = t[i] - mt;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        assertTrue(Math.abs(sxy / Math.sqrt(sxx * syy)) > 0.99, "first component follows the axis");
        assertEquals(1e-4, Math.sqrt(sxx / n), 1e-6);
        FloatMatrix again = PcaInit.compute(new FloatMatrix(n, d, x), 2, 1e-4, 0);
        assertEquals(y.get(17, 1), again.get(17, 1), 0, "deterministic for a seed");
    }

    @Test
    void exactReferenceSeparatesClusters() {
        FloatMatrix x = GpuSelfCheck.clusters(150, 10, 3, 4);
        TsneParameters params = TsneParameters.defaults().withMaxIter(400);
        ExactTsne exact = new ExactTsne(x, params.perplexity(), params.neighbours(150));
        FloatMatrix init = CudaTsne.initialPoints(x, params);
        FloatMatrix y = exact.run(init, params);
        assertTrue(exact.kl(y) < exact.kl(init) - 0.5, "optimisation lowers KL");
        assertTrue(ExactTsne.trustworthiness(x, y, 12) > 0.9);
        // Trustworthiness of a random layout is far lower: the measure can fail.
        FloatMatrix noise = CudaTsne.initialPoints(x, params.withInit(TsneParameters.Init.RANDOM));
        assertTrue(ExactTsne.trustworthiness(x, noise, 12) < 0.75);
    }
}
