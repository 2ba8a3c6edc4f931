package org.hiddenactivity.model;

import org.hiddenactivity.core.FloatMatrix;

/**
 * The activations of one hidden layer of one checkpoint over a dataset.
 *
 * @param layer      which layer
 * @param checkpoint which checkpoint
 * @param values     N x units (conv feature maps flattened in the tensor's own order)
 * @param predicted  the network's predicted class of each observation (argmax of the final output)
 * @param scores     the network's class output, N x classes, as the graph gives it ({@link ClassScores} reads it)
 * @param cached     true when read from the activation cache rather than computed
 */
public record LayerActivations(HiddenLayer layer, Checkpoint checkpoint, FloatMatrix values, int[] predicted,
                               FloatMatrix scores, boolean cached) {
    /** The class probabilities (N x classes) that the class output stands for. */
    public FloatMatrix classProbabilities() {
        return ClassScores.probabilities(scores, ClassScores.kind(scores));
    }

    /** Fraction of observations whose prediction equals the label. */
    public double accuracy(int[] labels) {
        int ok = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                ok++;
            }
        }
        return predicted.length == 0 ? Double.NaN : (double) ok / predicted.length;
    }
}
