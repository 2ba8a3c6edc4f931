package org.hiddenactivity.model;

import java.util.List;
import org.hiddenactivity.core.FloatMatrix;

/**
 * All analysed hidden layers of one checkpoint over a dataset, from one pass of the network.
 *
 * @param checkpoint the checkpoint
 * @param layers     the layers, in the order of {@code values}
 * @param values     one N x units matrix per layer
 * @param predicted  argmax of the final output per observation
 * @param scores     the class output itself, N x classes (logits, probabilities or log-probabilities: {@link ClassScores})
 */
public record CheckpointActivations(Checkpoint checkpoint, List<HiddenLayer> layers, List<FloatMatrix> values,
                                    int[] predicted, FloatMatrix scores) {
    /** The layer numbered {@code number} (from 1) as {@link LayerActivations}. */
    public LayerActivations layer(int number, boolean cached) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).number() == number) {
                return new LayerActivations(layers.get(i), checkpoint, values.get(i), predicted, scores, cached);
            }
        }
        throw new IllegalArgumentException("layer " + number + " not extracted");
    }
}
