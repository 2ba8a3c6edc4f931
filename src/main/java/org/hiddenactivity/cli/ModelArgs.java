package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.model.ConvUnits;
import org.hiddenactivity.model.ModelOptions;

/** What every command that runs a model may say about it (docs/manifest.md: these override the manifest). */
final class ModelArgs {
    @Parameter(names = "--tensor", description = "Tensors to analyse instead of the default layers, comma-separated,"
            + " in order (names as 'hav inspect' prints them); --layer then counts among these")
    String tensor;

    @Parameter(names = "--conv-units", description = "A feature map's unit: channel (mean over H x W) or position"
            + " (every channel x position)")
    String convUnits = "channel";

    @Parameter(names = "--mean", description = "Input normalisation mean on pixels in [0, 1]: one value or one per"
            + " channel, comma-separated (overrides the manifest)")
    String mean;

    @Parameter(names = "--std", description = "Input normalisation standard deviation, as --mean")
    String std;

    @Parameter(names = "--layout", description = "nchw or nhwc: the model input's layout when its shape does not say"
            + " (also the pixel order of a flat input)")
    String layout;

    @Parameter(names = "--tokens", description = "Token tensors [N, T, C] (transformers): cls (token 0), mean (over"
            + " tokens) or a token index; default: the token the head reads, found in the graph (hav inspect says which)")
    String tokens;

    ModelOptions toOptions() {
        List<String> tensors = new ArrayList<>();
        if (tensor != null) {
            for (String t : tensor.split(",")) {
                if (!t.isBlank()) {
                    tensors.add(t.trim());
                }
            }
            if (tensors.isEmpty()) {
                throw new HavException("--tensor", "no tensor name given", "give comma-separated names as 'hav"
                        + " inspect' lists them");
            }
        }
        return new ModelOptions(tensors, ConvUnits.parse(convUnits), numbers("--mean", mean),
                numbers("--std", std), layout, tokens);
    }

    private static float[] numbers(String option, String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new HavException(option + " " + text, "'" + parts[i].trim() + "' is not a number",
                        "give one value or one per channel, e.g. " + option + " 0.485,0.456,0.406");
            }
        }
        if (Arrays.asList(parts).stream().anyMatch(String::isBlank)) {
            throw new HavException(option + " " + text, "an empty value", "give comma-separated numbers");
        }
        return out;
    }
}
