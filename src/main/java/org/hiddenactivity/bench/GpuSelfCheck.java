package org.hiddenactivity.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.CpuTsne;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Initialisation;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.cuda.CudaTsne;

/**
 * The numerical checks of the GPU engine against the exact reference (the CPU engine with angle 0, the exact
 * gradient, from the same start; measures from {@link Metrics}), shared by the GPU tests (-Dhav.gpu.tests=true)
 * and the GPU kit (benchmarks/gpu/run_on_gpu.sh), so both run the same code.
 */
public final class GpuSelfCheck {
    /** KL of the CUDA result within this fraction of the exact reference's KL. */
    public static final double KL_TOLERANCE = 0.03;
    /** Trustworthiness (k = 12) of the CUDA result within this of the exact reference's. */
    public static final double TRUST_TOLERANCE = 0.01;

    private GpuSelfCheck() {}

    /** Seeded Gaussian clusters: n points in d dimensions, `clusters` centres spread with unit-variance noise. */
    public static FloatMatrix clusters(int n, int d, int clusters, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (6 * r.nextGaussian());
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centres[i % clusters];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[j] + (float) r.nextGaussian();
            }
        }
        return new FloatMatrix(n, d, x);
    }

    /**
     * Runs CUDA and the exact reference from the same PCA start; returns the numbers and "pass". Pass
     * {@code new CudaTsne(0)} to check the Barnes-Hut path, a default CudaTsne for the exact-repulsion path.
     */
    public static Map<String, Object> compareWithExact(CudaTsne cuda, int n, int d) {
        FloatMatrix x = clusters(n, d, 5, 7);
        TsneParameters params = TsneParameters.defaults();
        FloatMatrix init = Initialisation.pcaStart(x, params.nComponents(), params.randomState(), 0);  // CudaTsne's start
        Embedding e = cuda.embed(x, params, init, Progress.NONE);
        Map<String, Object> out = compare(x, params, init, e);
        out.put("n", n);
        out.put("d", d);
        return out;
    }

    /**
     * Measures {@code candidate} against the exact reference: the CPU engine with the exact O(N^2) gradient
     * (angle 0) from the same start {@code init}. KL (exact, same P) and trustworthiness (k = 12) by
     * {@link Metrics}; "pass" when both are within the tolerances.
     */
    public static Map<String, Object> compare(FloatMatrix x, TsneParameters params, FloatMatrix init, Embedding candidate) {
        Embedding ref = new CpuTsne().embed(x, params.withAngle(0), init, Progress.NONE);
        double klCuda = Metrics.klDivergence(x, candidate.points(), ref.perplexity(), 0);
        double klRef = Metrics.klDivergence(x, ref.points(), ref.perplexity(), 0);
        double tCuda = Metrics.trustworthiness(x, candidate.points(), Metrics.TRUSTWORTHINESS_K, 0);
        double tRef = Metrics.trustworthiness(x, ref.points(), Metrics.TRUSTWORTHINESS_K, 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kl_cuda_exact_eval", klCuda);
        out.put("kl_cuda_reported", candidate.klDivergence());
        out.put("kl_reference", klRef);
        out.put("trust_cuda", tCuda);
        out.put("trust_reference", tRef);
        out.put("kl_rel_diff", Math.abs(klCuda - klRef) / klRef);
        out.put("reported_kl_rel_diff", Math.abs(candidate.klDivergence() - klCuda) / klCuda);
        out.put("trust_diff", Math.abs(tCuda - tRef));
        out.put("kl_history", candidate.klHistory());
        out.put("pass", Math.abs(klCuda - klRef) / klRef <= KL_TOLERANCE && Math.abs(tCuda - tRef) <= TRUST_TOLERANCE);
        return out;
    }

    /** Dynamic t-SNE of two related snapshots: mean squared movement with lambda versus without. */
    public static Map<String, Object> dynamicMovement(CudaTsne cuda, int n, double lambda) {
        FloatMatrix a = clusters(n, 20, 4, 11);
        FloatMatrix b = a.copy();
        Random r = new Random(3);
        for (int i = 0; i < b.data().length; i++) {
            b.data()[i] += (float) (0.5 * r.nextGaussian());
        }
        TsneParameters params = TsneParameters.defaults();
        List<Embedding> free = cuda.embedDynamic(List.of(a, b), params, 0, Progress.NONE);
        List<Embedding> tied = cuda.embedDynamic(List.of(a, b), params, lambda, Progress.NONE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lambda", lambda);
        out.put("movement_lambda0", movement(free.get(0).points(), free.get(1).points()));
        out.put("movement_lambda", movement(tied.get(0).points(), tied.get(1).points()));
        out.put("kl_lambda0", new double[] {free.get(0).klDivergence(), free.get(1).klDivergence()});
        out.put("kl_lambda", new double[] {tied.get(0).klDivergence(), tied.get(1).klDivergence()});
        return out;
    }

    static double movement(FloatMatrix p, FloatMatrix q) {
        double s = 0;
        for (int i = 0; i < p.data().length; i++) {
            double t = p.data()[i] - q.data()[i];
            s += t * t;
        }
        return s / p.rows();
    }
}
