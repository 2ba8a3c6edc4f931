package org.hiddenactivity.analysis;

import java.util.List;
import java.util.Map;

/**
 * One analysis of a model. It declares what it needs ({@link #inputs}: its own record, resolved from the run's
 * {@link Selection} and the results of the analyses it reads) and computes a {@link Result} from it
 * ({@link #compute}) without writing any file. The result declares its files ({@link Result#outputs}); the
 * {@link Outputs} class writes them, and the report and the CLI commands loop over {@link Analyses#ALL}.
 * Adding an analysis: one class implementing this interface, plus one line in {@link Analyses} (docs/design.md).
 *
 * @param <I> the inputs, resolved once per run
 * @param <R> the result
 */
public interface Analysis<I, R extends Analysis.Result> {
    /** The analysis' name: its key in report.json's "results" and its place in the registry. */
    String id();

    /** Resolves the inputs: defaults of the selection applied, earlier results fetched from {@code run}. */
    I inputs(AnalysisRun run);

    /** Why the report leaves this analysis out for these inputs (said in the page and report.json), or null. */
    default String omission(AnalysisContext ctx, I in) {
        return null;
    }

    /** Computes the result. Writes nothing; refuses inputs it cannot analyse with a HavException. */
    R compute(AnalysisContext ctx, I in);

    /** Puts this analysis' numbers into report.json's "results" (by default: {@code id() -> numbers()}). */
    default void report(R result, Map<String, Object> results) {
        results.put(id(), result.numbers());
    }

    /** What report.json's "results" says of the analysis when it was left out. */
    default void reportOmitted(Map<String, Object> results) {
        results.put(id(), null);
    }

    /** What an analysis gives back. */
    interface Result {
        /** Every number the result's figures show, for JSON and the CLI. */
        Map<String, Object> numbers();

        /** The files to write from this result (figures drawn only when written); none by default. */
        default List<Output> outputs(AnalysisContext ctx) {
            return List.of();
        }

        /** Parts of the analysis left out with their reason (e.g. no before/after comparison), by name. */
        default Map<String, String> omittedParts() {
            return Map.of();
        }
    }
}
