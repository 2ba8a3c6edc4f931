package org.hiddenactivity.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The named random streams of a run, all derived from its one seed (--seed) here and nowhere else, and recorded in
 * provenance ({@link #all}). The projection and the neuron importances take the seed itself, as scikit-learn's
 * random_state; each bootstrap statistic of the findings has its own stream. The offsets of the streams that existed
 * before they were named are kept, so that a run's numbers stay as they were; a new stream takes the next offset.
 */
public final class Seeds {
    /** One named stream: its seed is the run's seed plus {@code offset}. */
    public enum Stream {
        /** t-SNE's and UMAP's random state, and the t-SNE of the neuron maps. */
        PROJECTION(0, "random state of every projection (t-SNE, UMAP) and of the neuron maps' t-SNE"),
        /** Extremely randomized trees; class c of a one-vs-rest study uses this seed + c. */
        NEURON_IMPORTANCE(0, "extremely randomized trees of the neuron importances; class c uses this seed + c"),
        DEPTH(0, "bootstrap of the class separation with depth"),
        TRAINING(1, "bootstrap of the class separation with training"),
        ACCURACY(2, "bootstrap of the accuracy at the last checkpoint"),
        ACCURACY_CHANGE(3, "bootstrap of the accuracy change with training"),
        LEAST_SEPARATED(4, "bootstrap of the least separated class"),
        SPECIALISATION(5, "bootstrap of the neuron specialisation change"),
        DEAD_NEURONS(6, "bootstrap of the change in dead neurons"),
        NEURON_GROUPS(7, "bootstrap of the neuron groups after training"),
        /** Was seed + 7 too, the same stream as {@link #NEURON_GROUPS} (issue 20). */
        NEURON_GROUPS_CHANGE(8, "bootstrap of the neuron groups' change with training");

        private final int offset;
        private final String use;

        Stream(int offset, String use) {
            this.offset = offset;
            this.use = use;
        }

        /** What the stream draws. */
        public String use() {
            return use;
        }

        /** Its name in provenance: "neuron_groups_change". */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final long seed;

    public Seeds(long seed) {
        this.seed = seed;
    }

    /** The run's seed (--seed). */
    public long seed() {
        return seed;
    }

    /** The seed of {@code stream}. */
    public long of(Stream stream) {
        return seed + stream.offset;
    }

    /** Every stream's seed by name, for provenance. */
    public Map<String, Long> all() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Stream s : Stream.values()) {
            m.put(s.id(), of(s));
        }
        return m;
    }
}
