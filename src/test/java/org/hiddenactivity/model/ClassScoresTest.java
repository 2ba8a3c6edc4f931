package org.hiddenactivity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

class ClassScoresTest {
    static final float[][] LOGITS = {{2.0f, -1.0f, 0.5f}, {-3.0f, 4.0f, 1.0f}};

    /** Softmax written out here, the reference the class is checked against. */
    static double[] softmax(float[] z) {
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v);
        }
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k]) / sum;
        }
        return p;
    }

    @Test
    void logitsAreRecognisedAndSoftmaxed() {
        FloatMatrix m = FloatMatrix.of(LOGITS);
        assertEquals(ClassScores.Kind.LOGITS, ClassScores.kind(m));
        FloatMatrix p = ClassScores.probabilities(m, ClassScores.kind(m));
        for (int i = 0; i < 2; i++) {
            double[] want = softmax(LOGITS[i]);
            for (int k = 0; k < 3; k++) {
                assertEquals(want[k], p.get(i, k), 1e-6);
            }
        }
    }

    @Test
    void probabilitiesAreKeptAndLogProbabilitiesExponentiated() {
        float[][] probs = new float[2][3];
        float[][] logs = new float[2][3];
        for (int i = 0; i < 2; i++) {
            double[] want = softmax(LOGITS[i]);
            for (int k = 0; k < 3; k++) {
                probs[i][k] = (float) want[k];
                logs[i][k] = (float) Math.log(want[k]);
            }
        }
        FloatMatrix pm = FloatMatrix.of(probs);
        assertEquals(ClassScores.Kind.PROBABILITIES, ClassScores.kind(pm));
        assertEquals(probs[1][2], ClassScores.probabilities(pm, ClassScores.Kind.PROBABILITIES).get(1, 2));
        FloatMatrix lm = FloatMatrix.of(logs);
        assertEquals(ClassScores.Kind.LOG_PROBABILITIES, ClassScores.kind(lm));
        assertEquals(probs[0][0], ClassScores.probabilities(lm, ClassScores.Kind.LOG_PROBABILITIES).get(0, 0), 1e-6);
    }

    @Test
    void oneRowOutsideAKindMakesTheWholeOutputLogits() {
        // rows in [0, 1] that do not sum to 1 (sigmoid outputs, say) are not probabilities of one class each
        assertEquals(ClassScores.Kind.LOGITS, ClassScores.kind(FloatMatrix.of(new float[][] {{0.2f, 0.3f, 0.5f}, {0.9f, 0.8f, 0.1f}})));
        // all-negative rows whose exponentials do not sum to 1 are logits, not log-probabilities
        assertEquals(ClassScores.Kind.LOGITS, ClassScores.kind(FloatMatrix.of(new float[][] {{-5f, -6f, -7f}})));
    }
}
