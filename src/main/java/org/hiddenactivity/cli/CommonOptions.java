package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;

/** Options every command has; commands include it with {@code @ParametersDelegate}. */
public final class CommonOptions {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this command's options")
    public boolean help;

    @Parameter(names = "--json", description = "Print the result as one JSON object on stdout (logs go to stderr)")
    public boolean json;

    @Parameter(names = {"-q", "--quiet"}, description = "No progress bars")
    public boolean quiet;
}
