package org.hiddenactivity.analysis;

import java.util.List;
import org.hiddenactivity.core.HavException;

/**
 * The registered analyses, in the order the report runs them and lists their numbers in report.json. A new
 * analysis is one class implementing {@link Analysis} plus one line here; the report runs it, writes its outputs
 * and records its numbers, and a CLI command can run it by its id.
 */
public final class Analyses {
    /** Every analysis of the report, in report order. */
    public static final List<Analysis<?, ?>> ALL = List.of(
            Evolution.LAYERS,
            ActivationProjection.ANALYSIS,
            Evolution.EPOCHS,
            NeuronAnalysis.MAPS,
            NeuronAnalysis.NEURONS,
            NeuronAnalysis.DISCRIMINATIVE,
            NeuronAnalysis.IMPORTANCE_GRID);

    private Analyses() {}

    /** The registered analysis named {@code id}. */
    public static Analysis<?, ?> byId(String id) {
        for (Analysis<?, ?> a : ALL) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new HavException("analysis " + id, "is not registered", "use one of "
                + ALL.stream().map(Analysis::id).toList());
    }
}
