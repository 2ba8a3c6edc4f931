package org.hiddenactivity.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import java.util.List;
import java.util.function.Supplier;
import org.hiddenactivity.core.HavException;

/** The {@code hav} command line: parses the subcommand, runs it, turns errors into messages and exit codes. */
public final class Main {
    /** Exit code for a usage error (unknown command or option). */
    static final int EXIT_USAGE = 64;

    /** Every subcommand, in the order {@code hav --help} lists them. */
    static List<Supplier<HavCommand>> commands() {
        return List.of(
                InfoCommand::new,
                InspectCommand::new,
                ActivationsCommand::new,
                TsneCommand::new,
                AnalysisCommands.Project::new,
                AnalysisCommands.Layers::new,
                AnalysisCommands.Epochs::new,
                AnalysisCommands.Neurons::new,
                AnalysisCommands.Discriminative::new,
                AnalysisCommands.Report::new,
                DiffCommand::new,
                BenchCommand::new);
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code hav args} in this JVM and returns the exit code (tests call this). */
    public static int run(String... args) {
        JCommander jc = JCommander.newBuilder().programName("hav").build();
        for (Supplier<HavCommand> c : commands()) {
            jc.addCommand(c.get());
        }
        if (args.length == 0 || isHelp(args[0])) {
            printOverview(jc);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            System.err.println("hav: " + e.getMessage());
            System.err.println("Run 'hav --help' for the commands, 'hav COMMAND --help' for a command's options.");
            return EXIT_USAGE;
        }
        String name = jc.getParsedCommand();
        if (name == null) {
            printOverview(jc);
            return EXIT_USAGE;
        }
        JCommander sub = jc.getCommands().get(name);
        HavCommand command = (HavCommand) sub.getObjects().get(0);
        if (command.helpRequested()) {
            StringBuilder sb = new StringBuilder();
            sub.getUsageFormatter().usage(sb);
            System.out.print(sb.toString().replaceFirst("^Usage: ", "Usage: hav "));
            return 0;
        }
        try {
            return command.run();
        } catch (HavException e) {
            System.err.println("hav " + name + ": " + e.getMessage());
            return e.exitCode();
        } catch (OutOfMemoryError e) {
            System.err.println("hav " + name + ": out of memory (" + e.getMessage()
                    + "); lower --size or raise the heap with HAV_JAVA_OPTS=-Xmx16g");
            return HavException.EXIT_RUNTIME;
        } catch (Exception e) {
            System.err.println("hav " + name + ": " + e);
            e.printStackTrace(System.err);
            return HavException.EXIT_RUNTIME;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    private static void printOverview(JCommander jc) {
        StringBuilder sb = new StringBuilder();
        sb.append("hav: what the hidden layers of a trained network learned (Rauber et al., TVCG 2017)\n\n");
        sb.append("Usage: hav COMMAND [options]    (hav COMMAND --help for a command's options)\n\nCommands:\n");
        for (var e : jc.getCommands().entrySet()) {
            String description = jc.getUsageFormatter().getCommandDescription(e.getKey());
            sb.append(String.format("  %-15s %s%n", e.getKey(), description == null ? "" : description));
        }
        sb.append("\nExit codes: 0 success, 2 bad input, 3 runtime failure, 64 usage error (hav diff: 1 = they differ).\n");
        System.out.print(sb);
    }
}
