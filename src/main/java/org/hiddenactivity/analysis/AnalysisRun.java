package org.hiddenactivity.analysis;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One run of analyses on one context and selection: resolves each analysis' inputs, computes each result once and
 * hands it to the analyses that read it. An analysis the report leaves out ({@link Analysis#omission}) reads as
 * null through {@link #optional}.
 */
public final class AnalysisRun {
    private final AnalysisContext ctx;
    private final Selection selection;
    private final Map<Analysis<?, ?>, Analysis.Result> results = new IdentityHashMap<>();
    private final Map<Analysis<?, ?>, String> omitted = new IdentityHashMap<>();
    private final Map<Analysis<?, ?>, Object> inputs = new IdentityHashMap<>();

    public AnalysisRun(AnalysisContext ctx, Selection selection) {
        this.ctx = ctx;
        this.selection = selection;
    }

    public AnalysisContext ctx() {
        return ctx;
    }

    public Selection selection() {
        return selection;
    }

    /** The result of {@code a}, computed on first use; fails (HavException) where the analysis cannot run. */
    public <I, R extends Analysis.Result> R result(Analysis<I, R> a) {
        @SuppressWarnings("unchecked")
        R done = (R) results.get(a);
        if (done != null) {
            return done;
        }
        R r = a.compute(ctx, inputs(a));
        results.put(a, r);
        return r;
    }

    /** The result of {@code a}, or null when it is left out for this model (its reason: {@link #omission}). */
    public <I, R extends Analysis.Result> R optional(Analysis<I, R> a) {
        return omission(a) != null ? null : result(a);
    }

    /** Why {@code a} is left out of this run, or null when it runs. */
    public <I, R extends Analysis.Result> String omission(Analysis<I, R> a) {
        if (results.containsKey(a)) {
            return null;
        }
        if (!omitted.containsKey(a)) {
            omitted.put(a, a.omission(ctx, inputs(a)));
        }
        return omitted.get(a);
    }

    /** True once the result of {@code a} has been computed in this run. */
    public boolean done(Analysis<?, ?> a) {
        return results.containsKey(a);
    }

    /** The inputs of {@code a}, resolved once. */
    public <I, R extends Analysis.Result> I inputs(Analysis<I, R> a) {
        @SuppressWarnings("unchecked")
        I in = (I) inputs.get(a);
        if (in == null) {
            in = a.inputs(this);
            inputs.put(a, in);
        }
        return in;
    }
}
