package org.hiddenactivity.cli;

/**
 * One subcommand of {@code hav}: a JCommander parameter object that also runs itself.
 * Implementations declare {@code @Parameters(commandNames = ..., commandDescription = ...)} and their options,
 * including {@code --help} (see {@link CommonOptions}).
 */
public interface HavCommand {
    /** Runs the command after parsing; returns the process exit code (0 = success). */
    int run() throws Exception;

    /** True when the user asked for this command's help. */
    boolean helpRequested();
}
