package org.hiddenactivity.model;

import java.util.List;
import java.util.Locale;
import org.hiddenactivity.core.HavException;

/**
 * What the user says about a model on the command line, overriding its manifest: the tensors to analyse
 * ({@code --tensor}), how a feature map's units are counted ({@code --conv-units}), the input normalisation
 * ({@code --mean}, {@code --std}) and the input layout ({@code --layout}).
 *
 * @param tensors   tensor names to analyse, in order; empty for the manifest's or the default choice
 * @param convUnits one unit per channel (default) or per channel x position
 * @param mean      per-channel means of the normalisation (one value or one per channel), or null
 * @param std       per-channel standard deviations, or null (both or neither)
 * @param layout    "nchw" or "nhwc" when the model's input shape does not say (also the pixel order of a flat
 *                  input: chw or hwc), or null
 */
public record ModelOptions(List<String> tensors, ConvUnits convUnits, float[] mean, float[] std, String layout) {
    public ModelOptions {
        tensors = tensors == null ? List.of() : List.copyOf(tensors);
        convUnits = convUnits == null ? ConvUnits.CHANNEL : convUnits;
        if ((mean == null) != (std == null)) {
            throw new HavException(mean == null ? "--std" : "--mean", "given without " + (mean == null ? "--mean"
                    : "--std"), "give both, e.g. --mean 0.1307 --std 0.3081 (one value or one per channel)");
        }
        if (layout != null) {
            layout = layout.trim().toLowerCase(Locale.ROOT);
            if (!Manifest.LAYOUTS.contains(layout)) {
                throw new HavException("--layout " + layout, "unknown layout", "use nchw (channels first, PyTorch)"
                        + " or nhwc (channels last, Keras/TensorFlow)");
            }
        }
        for (String t : tensors) {
            if (t.isBlank()) {
                throw new HavException("--tensor", "an empty tensor name", "give comma-separated tensor names as"
                        + " 'hav inspect' lists them");
            }
        }
    }

    /** Nothing said: the manifest's or the default choices. */
    public static ModelOptions defaults() {
        return new ModelOptions(List.of(), ConvUnits.CHANNEL, null, null, null);
    }

    /** True for a channels-last layout ("nhwc" or "hwc"); false for channels first; null when not given. */
    Boolean channelsLast() {
        return layout == null ? null : layout.contains("hwc");
    }
}
