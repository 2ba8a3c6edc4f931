package org.hiddenactivity.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.ParameterException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Supplier;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Suggest;
import org.hiddenactivity.core.Warnings;

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
                EmbedCommand::new,
                AnalysisCommands.Project::new,
                AnalysisCommands.Layers::new,
                AnalysisCommands.Epochs::new,
                AnalysisCommands.Neurons::new,
                AnalysisCommands.Discriminative::new,
                AnalysisCommands.Report::new,
                DiffCommand::new,
                BenchCommand::new,
                BatchCommand::new);
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code hav args} in this JVM and returns the exit code (tests call this). */
    public static int run(String... args) {
        // one scope per run: runs side by side in one JVM (a Spark executor) each report their own warnings
        try (Warnings.Scope run = Warnings.scope()) {
            return runInScope(args);
        }
    }

    private static int runInScope(String... args) {
        Warnings.resetOnce();
        boolean json = Arrays.asList(args).contains("--json");
        JCommander jc = JCommander.newBuilder().programName("hav").build();
        for (Supplier<HavCommand> c : commands()) {
            jc.addCommand(c.get());
        }
        if (args.length == 0 || isHelp(args[0])) {
            printOverview(jc);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        if (!jc.getCommands().containsKey(args[0])) {
            String near = Suggest.nearest(args[0], jc.getCommands().keySet());
            return fail(json, "hav", new HavException(null, (args[0].startsWith("-") ? "unknown option '" + args[0]
                    + "' before the command" : "unknown command '" + args[0] + "'"), (near == null ? "" : "did you mean "
                    + near + "? ") + "commands: " + String.join(", ", jc.getCommands().keySet())
                    + "; 'hav --help' describes them", EXIT_USAGE, null));
        }
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            JCommander sub = jc.getCommands().get(args[0]);
            return fail(json, "hav " + args[0], usageError(args, sub, e));
        }
        String name = jc.getParsedCommand();
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
            return fail(json, "hav " + name, e);
        } catch (UncheckedIOException e) {
            return fail(json, "hav " + name, new HavException(null, e.getMessage(), "check the files and the disk",
                    HavException.EXIT_RUNTIME, e));
        } catch (OutOfMemoryError e) {
            // name only the levers this command has (inspect has no --size)
            boolean hasSize = sub.getParameters().stream().anyMatch(d -> d.getNames().contains("--size"));
            return fail(json, "hav " + name, new HavException(inputOf(args), "out of memory (" + e.getMessage() + ")",
                    (hasSize ? "lower --size or raise" : "raise") + " the heap with HAV_JAVA_OPTS=-Xmx16g",
                    HavException.EXIT_RUNTIME, null));
        } catch (Exception e) {
            if (System.getenv("HAV_DEBUG") != null) {
                e.printStackTrace(System.err);
            }
            return fail(json, "hav " + name, new HavException(null, "internal error: " + e, "this is a bug in hav;"
                    + " rerun with HAV_DEBUG=1 for the stack trace and report it", HavException.EXIT_RUNTIME, e));
        }
    }

    /**
     * The input a command was reading, for an out-of-memory message: the value of --model or --input, else the first
     * argument after the command that names an existing file or folder (inspect's model, diff's first file); null
     * when there is none.
     */
    static String inputOf(String[] args) {
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals("--model") || args[i].equals("--input")) {
                return args[i + 1];
            }
        }
        for (int i = 1; i < args.length; i++) {
            try {
                if (!args[i].startsWith("-") && java.nio.file.Files.exists(java.nio.file.Path.of(args[i]))) {
                    return args[i];
                }
            } catch (RuntimeException e) {
                // not a path on this file system: not the input
            }
        }
        return null;
    }

    /** Prints an error as one line on stderr, and with --json as {"error", "file", "fix", "exit_code"} on stdout. */
    private static int fail(boolean json, String who, HavException e) {
        System.err.println(org.hiddenactivity.core.TerminalText.safe(who + ": " + e.getMessage()));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", e.problem() != null ? e.problem() : e.getMessage());
            m.put("file", e.subject());
            m.put("fix", e.fix());
            m.put("exit_code", e.exitCode());
            try {
                System.out.println(new ObjectMapper().writeValueAsString(m));
            } catch (JsonProcessingException ignored) {
                // a map of strings always serialises
            }
        }
        return e.exitCode();
    }

    /** JCommander's complaint as a message that names the option and the options that exist. */
    private static HavException usageError(String[] args, JCommander sub, ParameterException e) {
        List<String> names = new ArrayList<>();
        for (ParameterDescription d : sub.getParameters()) {
            names.addAll(Arrays.asList(d.getNames().split(",\\s*")));
        }
        String help = "'hav " + args[0] + " --help' lists its options";
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && !names.contains(a) && !isNumber(a)) {
                String near = Suggest.nearest(a, names);
                return new HavException("hav " + args[0], "unknown option '" + a + "'", (near == null ? ""
                        : "did you mean " + near + "? ") + help, EXIT_USAGE, null);
            }
        }
        String msg = String.valueOf(e.getMessage());
        java.util.regex.Matcher main = java.util.regex.Pattern.compile("main parameter '([^']*)'").matcher(msg);
        if (main.find()) {
            return new HavException("hav " + args[0], "unexpected argument '" + main.group(1) + "'", "options take"
                    + " the form --name value; " + help, EXIT_USAGE, null);
        }
        return new HavException("hav " + args[0], msg, help, EXIT_USAGE, null);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
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
