package org.hiddenactivity.projection;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;

/** Projects a sequence of snapshots of the same observations with one of the {@link Alignment} modes. */
public final class SequenceProjector {
    private SequenceProjector() {}

    /**
     * One embedding per snapshot, in order.
     * <ul>
     * <li>INDEPENDENT: {@code backend.embed(s, params, null)} for each.</li>
     * <li>CHAINED: snapshot 0 as INDEPENDENT, snapshot t starting from embedding t-1 (same row count needed).</li>
     * <li>JOINT: one run on {@link FloatMatrix#vstack} of all snapshots (same column count needed); each returned
     * Embedding holds its snapshot's rows, and the run's KL, history and seconds (shared by all).</li>
     * <li>DYNAMIC: {@code backend.embedDynamic(snapshots, params, lambda)}; lambda is ignored by the other modes.</li>
     * </ul>
     */
    public static List<Embedding> project(List<FloatMatrix> snapshots, Alignment alignment, TsneParameters params,
                                          double lambda, TsneBackend backend, Progress progress) {
        if (snapshots.isEmpty()) {
            throw new HavException("projection of a sequence", "no snapshots given", "pass at least one matrix");
        }
        List<Embedding> out = new ArrayList<>();
        switch (alignment) {
            case INDEPENDENT -> {
                for (int t = 0; t < snapshots.size(); t++) {
                    out.add(backend.embed(snapshots.get(t), params, null, progress.offset((long) t * params.maxIter())));
                }
            }
            case CHAINED -> {
                FloatMatrix previous = null;
                for (int t = 0; t < snapshots.size(); t++) {
                    FloatMatrix s = snapshots.get(t);
                    if (previous != null && s.rows() != previous.rows()) {
                        throw new HavException("chained projection, snapshot " + t, s.rows() + " rows after "
                                + previous.rows(), "give every snapshot the same observations");
                    }
                    Embedding e = backend.embed(s, params, previous, progress.offset((long) t * params.maxIter()));
                    out.add(e);
                    previous = e.points();
                }
            }
            case JOINT -> {
                Embedding all = backend.embed(FloatMatrix.vstack(snapshots), params, null, progress);
                int from = 0;
                for (FloatMatrix s : snapshots) {
                    out.add(new Embedding(all.points().rowRange(from, from + s.rows()), all.klDivergence(),
                            all.klHistory(), all.seconds(), all.backend(), all.device(), all.perplexity(), all.klExact()));
                    from += s.rows();
                }
            }
            case DYNAMIC -> out.addAll(backend.embedDynamic(snapshots, params, lambda, progress));
            default -> throw new IllegalStateException(alignment.toString());
        }
        return out;
    }

    /**
     * One embedding per snapshot by any {@link Projection}: INDEPENDENT and JOINT as above; CHAINED passes the previous
     * embedding as the start (PCA has no start and ignores it); DYNAMIC is t-SNE's own and is refused here (use
     * {@link #project(List, Alignment, TsneParameters, double, TsneBackend, Progress)}).
     */
    public static List<Embedding> project(List<FloatMatrix> snapshots, Alignment alignment, Projection projection,
                                          Progress progress) {
        if (snapshots.isEmpty()) {
            throw new HavException("projection of a sequence", "no snapshots given", "pass at least one matrix");
        }
        List<Embedding> out = new ArrayList<>();
        int n = snapshots.get(0).rows();
        switch (alignment) {
            case INDEPENDENT, CHAINED -> {
                FloatMatrix previous = null;
                for (int t = 0; t < snapshots.size(); t++) {
                    FloatMatrix s = snapshots.get(t);
                    if (alignment == Alignment.CHAINED && previous != null && s.rows() != previous.rows()) {
                        throw new HavException("chained projection, snapshot " + t, s.rows() + " rows after "
                                + previous.rows(), "give every snapshot the same observations");
                    }
                    Embedding e = projection.fit(s, alignment == Alignment.CHAINED ? previous : null,
                            progress.offset(t * projection.steps(n)));
                    out.add(e);
                    previous = e.points();
                }
            }
            case JOINT -> {
                Embedding all = projection.fit(FloatMatrix.vstack(snapshots), null, progress);
                int from = 0;
                for (FloatMatrix s : snapshots) {
                    out.add(new Embedding(all.points().rowRange(from, from + s.rows()), all.klDivergence(),
                            all.klHistory(), all.seconds(), all.backend(), all.device(), all.perplexity()));
                    from += s.rows();
                }
            }
            case DYNAMIC -> throw new HavException("--alignment dynamic", "dynamic alignment is dynamic t-SNE, not "
                    + projection.method().id(), "use --projection tsne, or the joint, chained or independent alignment");
            default -> throw new IllegalStateException(alignment.toString());
        }
        return out;
    }
}
