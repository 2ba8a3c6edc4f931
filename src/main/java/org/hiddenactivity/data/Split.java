package org.hiddenactivity.data;

import java.util.Locale;
import org.hiddenactivity.core.HavException;

/** Which part of a dataset: the training or the test split, or all of the user's own data (which has no split). */
public enum Split {
    TRAIN,
    TEST,
    /** The user's own files (--images): there is no split; the first --size rows are used as for a test split. */
    ALL;

    /** Lower-case name as the CLI writes it ("train", "test", "all"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "train" or "test" (any case), the splits of the built-in datasets. */
    public static Split parse(String text) {
        for (Split s : new Split[] {TRAIN, TEST}) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new HavException("split '" + text + "'", "unknown split", "use train or test");
    }
}
