package org.hiddenactivity.core;

/**
 * The contract every fuzz harness checks (docs/fuzzing.md): a parser of untrusted bytes either returns or throws a
 * {@link HavException} that names its subject; anything else (an unchecked exception, an error, an exit code other
 * than 2 or 3) escapes to Jazzer and is a finding.
 */
public final class Fuzz {
    private Fuzz() {}

    /** Something a harness runs on one input. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; a {@link HavException} whose message starts with {@code subject} (the name the harness gave
     * the input) is the expected refusal and is swallowed, everything else propagates.
     */
    public static void expectOnlyHavException(String subject, Body body) throws Exception {
        try {
            body.run();
        } catch (HavException e) {
            if (e.exitCode() != HavException.EXIT_BAD_INPUT && e.exitCode() != HavException.EXIT_RUNTIME) {
                throw new AssertionError("undocumented exit code " + e.exitCode() + ": " + e.getMessage(), e);
            }
            if (e.getMessage() == null || !e.getMessage().startsWith(subject)) {
                throw new AssertionError("the error does not name " + subject + ": " + e.getMessage(), e);
            }
        }
    }
}
