package org.hiddenactivity.core;

/**
 * An error the user can act on: it names what was being read or done, what is wrong, and what to do.
 * The CLI prints its message without a stack trace and exits with {@link #exitCode()}.
 */
public class HavException extends RuntimeException {
    /** Exit code for bad input (files, parameters). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure of the machine or a library (native error, out of memory). */
    public static final int EXIT_RUNTIME = 3;

    private final int exitCode;
    private final String subject;
    private final String problem;
    private final String fix;

    public HavException(String subject, String problem, String fix) {
        this(subject, problem, fix, EXIT_BAD_INPUT, null);
    }

    public HavException(String subject, String problem, String fix, int exitCode, Throwable cause) {
        super(format(subject, problem, fix), cause);
        this.exitCode = exitCode;
        this.subject = subject;
        this.problem = problem;
        this.fix = fix;
    }

    /** What was being read or done (a file, an option, a model), or null. */
    public String subject() {
        return subject;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** What to do about it, or null. */
    public String fix() {
        return fix;
    }

    private static String format(String subject, String problem, String fix) {
        StringBuilder sb = new StringBuilder();
        if (subject != null && !subject.isEmpty()) {
            sb.append(subject).append(": ");
        }
        sb.append(problem);
        if (fix != null && !fix.isEmpty()) {
            sb.append(" (").append(fix).append(')');
        }
        return sb.toString();
    }

    public int exitCode() {
        return exitCode;
    }
}
