package org.hiddenactivity.analysis;

import java.util.List;
import org.hiddenactivity.projection.Alignment;

/**
 * What a run looks at, as the command line or the report chose it; null means the analysis' own default (the
 * last layer, the last epoch, every checkpoint, the measured alignment, the worst and best separated classes).
 * Each {@code with...} changes only its own field.
 */
public record Selection(Integer layer, Integer epoch, List<Integer> epochs, Alignment layerAlignment,
                        Alignment epochAlignment, int[] labels, NeuronAnalysis.Layout neuronLayout) {
    /** Every choice left to the analyses. */
    public static final Selection DEFAULTS = new Selection(null, null, null, null, null, null,
            NeuronAnalysis.Layout.DEFAULT);

    public Selection withLayer(Integer v) {
        return new Selection(v, epoch, epochs, layerAlignment, epochAlignment, labels, neuronLayout);
    }

    public Selection withEpoch(Integer v) {
        return new Selection(layer, v, epochs, layerAlignment, epochAlignment, labels, neuronLayout);
    }

    public Selection withEpochs(List<Integer> v) {
        return new Selection(layer, epoch, v, layerAlignment, epochAlignment, labels, neuronLayout);
    }

    public Selection withLayerAlignment(Alignment v) {
        return new Selection(layer, epoch, epochs, v, epochAlignment, labels, neuronLayout);
    }

    public Selection withEpochAlignment(Alignment v) {
        return new Selection(layer, epoch, epochs, layerAlignment, v, labels, neuronLayout);
    }

    public Selection withLabels(int[] v) {
        return new Selection(layer, epoch, epochs, layerAlignment, epochAlignment, v, neuronLayout);
    }

    public Selection withNeuronLayout(NeuronAnalysis.Layout v) {
        return new Selection(layer, epoch, epochs, layerAlignment, epochAlignment, labels, v);
    }

    /** The layer asked for, else the last hidden layer. */
    public int layerOr(AnalysisContext ctx) {
        return layer != null ? layer : ctx.layerCount();
    }

    /** The epoch asked for, else the last checkpoint. */
    public int epochOr(AnalysisContext ctx) {
        return epoch != null ? epoch : ctx.model().lastEpoch();
    }

    /** The epochs asked for, else every checkpoint. */
    public List<Integer> epochsOr(AnalysisContext ctx) {
        return epochs != null ? epochs : ctx.model().checkpoints().stream().map(c -> c.epoch()).toList();
    }
}
