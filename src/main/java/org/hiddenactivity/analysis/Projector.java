package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Provenance;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.Embedding;
import org.hiddenactivity.projection.Metrics;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.SequenceProjector;
import org.hiddenactivity.projection.TsneParameters;

/**
 * Runs the run's projection ({@link AnalysisOptions#projection()}: t-SNE on the context's backend, UMAP or PCA)
 * through the projection cache and measures each result; shared by all analyses.
 */
final class Projector {
    private final AnalysisContext ctx;

    Projector(AnalysisContext ctx) {
        this.ctx = ctx;
    }

    /** One projection of {@code x}, reused from the cache when the same input and parameters were seen. */
    Embedding project(FloatMatrix x, String what) {
        if (ctx.options().projection() != Projection.Method.TSNE) {
            try (Projection projection = otherMethod();
                 StageTimer.Stage s = ctx.timer().stage(projection.method().id());
                 Progress progress = ctx.progress(projection.method().id() + " " + what, projection.steps(x.rows()))) {
                String key = ProjectionCache.key("single", projection, Provenance.sha256(x));
                return ctx.projections().getOrCompute(key, () -> projection.fit(x, null, progress));
            }
        }
        TsneParameters p = ctx.options().tsneParameters();
        String key = ProjectionCache.key("single", ctx.backend(), p, Provenance.sha256(x));
        try (StageTimer.Stage s = ctx.timer().stage("t-SNE");
             Progress progress = ctx.progress("t-SNE " + what, p.maxIter())) {
            return ctx.projections().getOrCompute(key, () -> ctx.backend().embed(x, p, null, progress));
        }
    }

    /** Projections of a sequence of snapshots (same observations), made comparable by {@code alignment}. */
    List<Embedding> projectSequence(List<FloatMatrix> snapshots, Alignment alignment, String what) {
        if (ctx.options().projection() != Projection.Method.TSNE) {
            return projectSequenceOther(snapshots, alignment, what);
        }
        TsneParameters p = ctx.options().tsneParameters();
        List<String> parts = new ArrayList<>();
        parts.add("alignment=" + alignment.id());
        parts.add("lambda=" + ctx.options().lambda());
        for (FloatMatrix x : snapshots) {
            parts.add(Provenance.sha256(x));
        }
        String key = ProjectionCache.key("sequence", ctx.backend(), p, parts.toArray(String[]::new));
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

    /** UMAP or PCA, with this run's seed and threads (t-SNE goes through the context's backend). */
    private Projection otherMethod() {
        return Projection.create(ctx.options().projection(), ctx.options().tsneParameters(),
                ctx.options().umapParameters(), ctx.options().backend());
    }

    private List<Embedding> projectSequenceOther(List<FloatMatrix> snapshots, Alignment alignment, String what) {
        try (Projection projection = otherMethod()) {
            List<String> parts = new ArrayList<>();
            parts.add("alignment=" + alignment.id());
            for (FloatMatrix x : snapshots) {
                parts.add(Provenance.sha256(x));
            }
            String key = ProjectionCache.key("sequence", projection, parts.toArray(String[]::new));
            List<Embedding> out = new ArrayList<>();
            List<Embedding>[] computed = new List[1];
            long steps = projection.steps(snapshots.get(0).rows())
                    * (alignment == Alignment.JOINT ? 1 : snapshots.size());
            try (StageTimer.Stage s = ctx.timer().stage(projection.method().id())) {
                for (int t = 0; t < snapshots.size(); t++) {
                    final int index = t;
                    out.add(ctx.projections().getOrCompute(key + "#" + t, () -> {
                        if (computed[0] == null) {
                            try (Progress progress = ctx.progress(projection.method().id() + " " + what + " ("
                                    + alignment.id() + ")", steps)) {
                                computed[0] = SequenceProjector.project(snapshots, alignment, projection, progress);
                            }
                        }
                        return computed[0].get(index);
                    }));
                }
            }
            return out;
        }
    }

    /**
     * Neighbourhood hit, trustworthiness and KL of one projection of {@code x}, with the metrics' k's
     * ({@link Metrics}), lowered for small inputs with a warning as {@link Metrics#usableK} says.
     */
    Quality quality(FloatMatrix x, Embedding e, int[] labels) {
        try (StageTimer.Stage s = ctx.timer().stage("metrics")) {
            int n = x.rows();
            int hitK = Metrics.usableK("neighbourhood hit", Metrics.NEIGHBOURHOOD_HIT_K, n);
            int trustK = Metrics.usableK("trustworthiness", Metrics.TRUSTWORTHINESS_K, n);
            double hit = Metrics.neighbourhoodHit(e.points(), labels, hitK, ctx.options().threads());
            double trust = trustK == 0 ? Double.NaN
                    : Metrics.trustworthiness(x, e.points(), trustK, ctx.options().threads());
            double[] perClass = ClassSeparation.perClassHit(e.points(), labels, hitK, ctx.classes());
            double[] perObservation = NeighbourhoodHits.perObservation(e.points(), labels, hitK);
            return new Quality(hit, trust, e.klDivergence(), perClass, perObservation);
        }
    }
}
