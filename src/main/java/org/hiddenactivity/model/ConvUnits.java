package org.hiddenactivity.model;

import java.util.Locale;
import org.hiddenactivity.core.HavException;

/** What one unit (one "neuron") of a feature map is: a channel (the mean over its positions) or a channel x position. */
public enum ConvUnits {
    /** One unit per channel, the mean over H x W: the usual unit of a CNN neuron (the default). */
    CHANNEL,
    /** One unit per channel and position, C x H x W values in the tensor's own order. */
    POSITION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --conv-units}; a clear error for anything else. */
    public static ConvUnits parse(String s) {
        for (ConvUnits u : values()) {
            if (u.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return u;
            }
        }
        throw new HavException("--conv-units " + s, "unknown unit of a feature map", "use channel (the mean over"
                + " H x W, the default) or position (every channel x position)");
    }
}
