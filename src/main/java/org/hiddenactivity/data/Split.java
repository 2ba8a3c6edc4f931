package org.hiddenactivity.data;

import java.util.Locale;
import org.hiddenactivity.core.HavException;

/** Which part of a dataset: the training or the test split. */
public enum Split {
    TRAIN,
    TEST;

    /** Lower-case name as the CLI writes it ("train", "test"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "train" or "test" (any case). */
    public static Split parse(String text) {
        for (Split s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new HavException("split '" + text + "'", "unknown split", "use train or test");
    }
}
