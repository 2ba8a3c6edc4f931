package org.hiddenactivity.projection;

import java.util.Locale;
import org.hiddenactivity.core.HavException;

/**
 * How a sequence of projections (layers of one network, or epochs of one layer) is made comparable
 * (docs/design.md, "Alignment"). Every output names the mode by {@link #id()}: file names, JSON ("alignment": id)
 * and figure captions use these lower-case words.
 */
public enum Alignment {
    /** Each snapshot projected on its own (PCA start each time). */
    INDEPENDENT,
    /** Each snapshot starts from the previous snapshot's embedding (the notebook's choice across layers). */
    CHAINED,
    /** One t-SNE over all snapshots stacked (the notebook's choice across epochs); the result is split back. */
    JOINT,
    /** Dynamic t-SNE (Rauber, Falcao, Telea 2016): all snapshots optimised together, movement penalised by lambda. */
    DYNAMIC;

    /** The lower-case name used in outputs and on the command line: independent, chained, joint, dynamic. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an {@link #id()} (case-insensitive). */
    public static Alignment parse(String id) {
        for (Alignment a : values()) {
            if (a.id().equalsIgnoreCase(id.trim())) {
                return a;
            }
        }
        throw new HavException("alignment '" + id + "'", "unknown alignment", "use independent, chained, joint or dynamic");
    }
}
