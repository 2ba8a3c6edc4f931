package org.hiddenactivity.model;

import org.hiddenactivity.core.FloatMatrix;

/**
 * What a network's class output holds, judged from its values over the analysed observations, and the class
 * probabilities that follow: probabilities as they are, log-probabilities exponentiated, logits through a softmax.
 */
public final class ClassScores {
    /** How far a row of probabilities may sum from 1 (float32 softmax outputs of 1000 classes stay well inside). */
    static final double SUM_TOLERANCE = 1e-3;

    /** The kinds of class output, with the id written into report.json. */
    public enum Kind {
        PROBABILITIES("probabilities", "every row in [0, 1] summing to 1: used as they are"),
        LOG_PROBABILITIES("log-probabilities", "every value <= 0 and exp of every row summing to 1: exponentiated"),
        LOGITS("logits", "neither probabilities nor log-probabilities: turned into probabilities by a softmax");

        private final String id;
        private final String meaning;

        Kind(String id, String meaning) {
            this.id = id;
            this.meaning = meaning;
        }

        public String id() { return id; }

        /** How the kind was recognised and what was done with it, for the report. */
        public String meaning() { return meaning; }
    }

    private ClassScores() {}

    /** The kind of {@code scores} (N x classes); every row must fit a kind for it to be chosen, else logits. */
    public static Kind kind(FloatMatrix scores) {
        boolean probabilities = true;
        boolean logProbabilities = true;
        int k = scores.cols();
        for (int i = 0; i < scores.rows() && (probabilities || logProbabilities); i++) {
            double sum = 0;
            double expSum = 0;
            for (int c = 0; c < k; c++) {
                float v = scores.get(i, c);
                if (v < 0 || v > 1) {
                    probabilities = false;
                }
                if (v > 0) {
                    logProbabilities = false;
                }
                sum += v;
                expSum += Math.exp(v);
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                probabilities = false;
            }
            if (Math.abs(expSum - 1) > SUM_TOLERANCE) {
                logProbabilities = false;
            }
        }
        if (probabilities) {
            return Kind.PROBABILITIES;
        }
        return logProbabilities ? Kind.LOG_PROBABILITIES : Kind.LOGITS;
    }

    /** Class probabilities (N x classes) from scores of the given kind; rows of logits by a stable softmax. */
    public static FloatMatrix probabilities(FloatMatrix scores, Kind kind) {
        int n = scores.rows();
        int k = scores.cols();
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case PROBABILITIES -> System.arraycopy(scores.data(), i * k, out, i * k, k);
                case LOG_PROBABILITIES -> {
                    for (int c = 0; c < k; c++) {
                        out[i * k + c] = (float) Math.exp(scores.get(i, c));
                    }
                }
                case LOGITS -> {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        max = Math.max(max, scores.get(i, c));
                    }
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        sum += Math.exp(scores.get(i, c) - max);
                    }
                    for (int c = 0; c < k; c++) {
                        out[i * k + c] = (float) (Math.exp(scores.get(i, c) - max) / sum);
                    }
                }
                default -> throw new IllegalStateException(kind.name());
            }
        }
        return new FloatMatrix(n, k, out);
    }
}
