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
 */
public record CheckpointActivations(Checkpoint checkpoint, List<HiddenLayer> layers, List<FloatMatrix> values,
                                    int[] predicted) {
    /** The layer numbered {@code number} (from 1) as {@link LayerActivations}. */
    public LayerActivations layer(int number, boolean cached) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).number() == number) {
                return new LayerActivations(layers.get(i), checkpoint, values.get(i), predicted, cached);
            }
        }
        throw new IllegalArgumentException("layer " + number + " not extracted");
    }
}
