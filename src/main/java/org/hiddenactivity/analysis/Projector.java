package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Provenance;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.SequenceProjector;
import org.hiddenactivity.projection.TsneParameters;

/** Runs t-SNE through the projection cache and measures each result; shared by all analyses. */
final class Projector {
    static final int TRUSTWORTHINESS_K = 12;
    static final int NEIGHBOURHOOD_HIT_K = 6;

    private final AnalysisContext ctx;

    Projector(AnalysisContext ctx) {
        this.ctx = ctx;
    }

    /** One projection of {@code x}, reused from the cache when the same input and parameters were seen. */
    Embedding project(FloatMatrix x, String what) {
        TsneParameters p = ctx.options().tsneParameters();
        String key = "single|" + p + "|" + ctx.backend().name() + "|" + Provenance.sha256(x);
        try (StageTimer.Stage s = ctx.timer().stage("t-SNE");
             Progress progress = ctx.progress("t-SNE " + what, p.maxIter())) {
            return ctx.projections().getOrCompute(key, () -> ctx.backend().embed(x, p, null, progress));
        }
    }

    /** Projections of a sequence of snapshots (same observations), made comparable by {@code alignment}. */
    List<Embedding> projectSequence(List<FloatMatrix> snapshots, Alignment alignment, String what) {
        TsneParameters p = ctx.options().tsneParameters();
        StringBuilder key = new StringBuilder("sequence|").append(alignment.id()).append('|').append(p)
                .append("|lambda=").append(ctx.options().lambda()).append('|').append(ctx.backend().name());
        for (FloatMatrix x : snapshots) {
            key.append('|').append(Provenance.sha256(x));
        }
        List<Embedding> out = new ArrayList<>();
        List<Embedding>[] computed = new List[1];
        try (StageTimer.Stage s = ctx.timer().stage("t-SNE")) {
            for (int t = 0; t < snapshots.size(); t++) {
                final int index = t;
                out.add(ctx.projections().getOrCompute(key + "#" + t, () -> {
                    if (computed[0] == null) {
                        try (Progress progress = ctx.progress("t-SNE " + what + " (" + alignment.id() + ")",
                                (long) p.maxIter() * (alignment == Alignment.JOINT || alignment == Alignment.DYNAMIC
                                        ? 1 : snapshots.size()))) {
                            computed[0] = SequenceProjector.project(snapshots, alignment, p, ctx.options().lambda(),
                                    ctx.backend(), progress);
                        }
                    }
                    return computed[0].get(index);
                }));
            }
        }
        return out;
    }

    /** Neighbourhood hit, trustworthiness and KL of one projection of {@code x}. */
    Quality quality(FloatMatrix x, Embedding e, int[] labels) {
        try (StageTimer.Stage s = ctx.timer().stage("metrics")) {
            double hit = Metrics.neighbourhoodHit(e.points(), labels, NEIGHBOURHOOD_HIT_K, ctx.options().threads());
            double trust = Metrics.trustworthiness(x, e.points(), TRUSTWORTHINESS_K, ctx.options().threads());
            double[] perClass = ClassSeparation.perClassHit(e.points(), labels, NEIGHBOURHOOD_HIT_K, ctx.classes());
            double[] perObservation = NeighbourhoodHits.perObservation(e.points(), labels, NEIGHBOURHOOD_HIT_K);
            return new Quality(hit, trust, e.klDivergence(), perClass, perObservation);
        }
    }
}
