package org.hiddenactivity.model;

import java.util.List;
import java.util.Locale;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.TerminalText;

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
public record ModelOptions(List<String> tensors, ConvUnits convUnits, float[] mean, float[] std, String layout,
                           String tokens) {
    /** Options with the token reduction read from the graph. */
    public ModelOptions(List<String> tensors, ConvUnits convUnits, float[] mean, float[] std, String layout) {
        this(tensors, convUnits, mean, std, layout, null);
    }

    public ModelOptions {
        if (tokens != null) {
            tokens = tokens.trim().toLowerCase(Locale.ROOT);
            if (!tokens.equals("cls") && !tokens.equals("mean") && !tokens.matches("[0-9]{1,6}")) {
                throw new HavException("--tokens " + TerminalText.safe(tokens), "unknown token reduction",
                        "use cls (token 0), mean (the mean over tokens) or a token's index, e.g. --tokens 0");
            }
        }
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

    /**
     * The token taken from token tensors [N, T, C]: its index (cls = 0), -1 for the mean over tokens, or null when
     * not given (the graph decides: the token the head reads).
     */
    Integer tokenIndex() {
        return tokens == null ? null : tokens.equals("cls") ? 0 : tokens.equals("mean") ? -1
                : Integer.parseInt(tokens);
    }

    /** True for a channels-last layout ("nhwc" or "hwc"); false for channels first; null when not given. */
    Boolean channelsLast() {
        return layout == null ? null : layout.contains("hwc");
    }
}
