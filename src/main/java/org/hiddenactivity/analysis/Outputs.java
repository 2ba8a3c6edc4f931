package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.HavException;

/** Writes what results declare ({@link Output}): the one place where analyses' figures and files are written. */
public final class Outputs {
    /** The files written for one result: each figure by its key. */
    public record Written(Path dir, Map<String, Figures.Files> figures) {
        /** The figure written under {@code key}. */
        public Figures.Files figure(String key) {
            Figures.Files f = figures.get(key);
            if (f == null) {
                throw new IllegalStateException("no figure '" + key + "' was written into " + dir + "; written: "
                        + figures.keySet());
            }
            return f;
        }
    }

    private Outputs() {}

    /** Draws and writes every output of {@code result} into {@code dir}, figures under the "rendering" stage. */
    public static Written write(AnalysisContext ctx, Analysis.Result result, Path dir) {
        Map<String, Figures.Files> figures = new LinkedHashMap<>();
        for (Output o : result.outputs(ctx)) {
            if (o instanceof Output.Figure f) {
                try (StageTimer.Stage s = ctx.timer().stage("rendering");
                     org.hiddenactivity.render.Figure fig = f.draw().get()) {
                    if (figures.put(f.key(), Figures.write(fig, dir.resolve(f.stem() + ".png"))) != null) {
                        throw new HavException("figure " + f.key(), "is declared twice by one result",
                                "give each figure of a result its own key");
                    }
                }
            } else if (o instanceof Output.Data d) {
                d.write().accept(dir.resolve(d.file()));
            }
        }
        return new Written(dir, figures);
    }
}
