package org.hiddenactivity.projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hiddenactivity.core.Progress;

/**
 * scikit-learn's t-SNE optimiser ({@code _gradient_descent}), for one or several coupled snapshots.
 * <p>
 * Per coordinate: a gain grows by 0.2 while the gradient keeps opposing the last update and shrinks by x0.8 when
 * it flips (never below {@code minGain}); update = momentum * update - learningRate * gain * gradient. Two stages as
 * in scikit-learn: {@code earlyExaggerationIter} iterations with P x earlyExaggeration and {@code initialMomentum},
 * then the rest with P and {@code finalMomentum}; gains and updates restart at the stage change (scikit-learn calls
 * its optimiser afresh). Unlike scikit-learn there is no early stop: every run does maxIter iterations.
 * <p>
 * Several snapshots (dynamic t-SNE, Rauber et al. 2016) add lambda / (2N) sum_t ||y^t - y^(t+1)||^2 to the sum of
 * their KL divergences. That term is handled by a proximal step (forward-backward splitting): after every snapshot
 * took its KL step, each point's trajectory is replaced by the minimiser of
 * sum_t ||y^t - ytilde^t||^2 / (2 eta) + lambda / (2N) sum_t ||y^t - y^(t+1)||^2, eta the learning rate, a T x T
 * tridiagonal solve per point and coordinate. An explicit gradient step on this stiff quadratic diverges as soon as
 * eta lambda / N exceeds about 1 (e.g. lambda = 10 with N = 120); the proximal step is stable for every lambda, and
 * lambda = 0 leaves the snapshots independent.
 */
final class GradientDescent {
    /** KL of every snapshot every {@link org.hiddenactivity.projection.Embedding#KL_EVERY} iterations, and at the end. */
    record Trace(double[][] klHistory, double[] finalKl) {}

    private GradientDescent() {}

    static Trace run(List<Gradient> objectives, List<double[]> ys, int dims, TsneParameters params, double lambda,
                     Progress progress) {
        int t = ys.size();
        int len = ys.get(0).length;
        int n = len / dims;
        double learningRate = params.effectiveLearningRate(n);
        List<double[]> grads = new ArrayList<>();
        List<double[]> updates = new ArrayList<>();
        List<double[]> gains = new ArrayList<>();
        for (int s = 0; s < t; s++) {
            grads.add(new double[len]);
            updates.add(new double[len]);
            gains.add(new double[len]);
            Arrays.fill(gains.get(s), 1);
        }
        int checks = params.maxIter() / Embedding.KL_EVERY;
        double[][] history = new double[t][checks];
        double[] kl = new double[t];
        int recorded = 0;
        double coupling = lambda / n;
        for (int it = 0; it < params.maxIter(); it++) {
            boolean early = it < params.earlyExaggerationIter();
            if (it == params.earlyExaggerationIter()) {
                for (int s = 0; s < t; s++) {
                    Arrays.fill(updates.get(s), 0);
                    Arrays.fill(gains.get(s), 1);
                }
            }
            double exaggeration = early ? params.earlyExaggeration() : 1;
            double momentum = early ? params.initialMomentum() : params.finalMomentum();
            boolean check = (it + 1) % Embedding.KL_EVERY == 0;
            for (int s = 0; s < t; s++) {
                kl[s] = objectives.get(s).compute(ys.get(s), exaggeration, check, grads.get(s));
            }
            for (int s = 0; s < t; s++) {
                step(ys.get(s), grads.get(s), updates.get(s), gains.get(s), momentum, learningRate, params.minGain());
            }
            if (coupling != 0 && t > 1) {
                proximalCoupling(ys, coupling * learningRate);
            }
            if (check && recorded < checks) {
                for (int s = 0; s < t; s++) {
                    history[s][recorded] = kl[s];
                }
                recorded++;
                progress.message(String.format("KL %.4f", mean(kl)));
            }
            progress.step(it + 1);
        }
        double[] finalKl = new double[t];
        double[] scratch = new double[len];
        for (int s = 0; s < t; s++) {
            finalKl[s] = objectives.get(s).compute(ys.get(s), 1, true, scratch);
        }
        return new Trace(history, finalKl);
    }

    /** One update of scikit-learn's gradient descent with gains (in place). */
    static void step(double[] y, double[] grad, double[] update, double[] gain, double momentum, double learningRate,
                     double minGain) {
        for (int e = 0; e < y.length; e++) {
            double g = grad[e];
            double u = update[e];
            double k = gain[e];
            k = u * g < 0 ? k + 0.2 : k * 0.8;
            if (k < minGain) {
                k = minGain;
            }
            gain[e] = k;
            u = momentum * u - learningRate * k * g;
            update[e] = u;
            y[e] += u;
        }
    }

    /**
     * Replaces every point's trajectory (y^0 .. y^(T-1), per coordinate) by the solution of (I + c L) y = ytilde,
     * L the Laplacian of the path 0 - 1 - ... - (T-1), c = eta lambda / N (Thomas algorithm; the matrix is
     * diagonally dominant, so no pivoting is needed).
     */
    static void proximalCoupling(List<double[]> ys, double c) {
        int t = ys.size();
        double[] diag = new double[t];
        for (int s = 0; s < t; s++) {
            diag[s] = 1 + c * ((s > 0 ? 1 : 0) + (s + 1 < t ? 1 : 0));
        }
        // forward elimination coefficients, the same for every coordinate
        double[] upper = new double[t];
        double[] denom = new double[t];
        denom[0] = diag[0];
        upper[0] = -c / denom[0];
        for (int s = 1; s < t; s++) {
            denom[s] = diag[s] + c * upper[s - 1];
            upper[s] = -c / denom[s];
        }
        int len = ys.get(0).length;
        double[] rhs = new double[t];
        for (int e = 0; e < len; e++) {
            rhs[0] = ys.get(0)[e] / denom[0];
            for (int s = 1; s < t; s++) {
                rhs[s] = (ys.get(s)[e] + c * rhs[s - 1]) / denom[s];
            }
            ys.get(t - 1)[e] = rhs[t - 1];
            for (int s = t - 2; s >= 0; s--) {
                rhs[s] -= upper[s] * rhs[s + 1];
                ys.get(s)[e] = rhs[s];
            }
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
