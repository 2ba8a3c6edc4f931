package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.bench.TsneBenchmark;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.TsneParameters;

@Parameters(commandNames = "bench", commandDescription = "Benchmarks: 'hav bench tsne' times the t-SNE backends against scikit-learn and Rtsne")
final class BenchCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "tsne")
    List<String> what = new ArrayList<>();

    @Parameter(names = "--input", required = true, description = "Comma-separated .npy inputs (N x D)")
    String inputs;

    @Parameter(names = "--labels", description = "Comma-separated label files, one per input (for the neighbourhood hit)")
    String labels;

    @Parameter(names = "--backends", description = "Project backends to run (cpu, cuda, auto); empty for none")
    String backends = "cpu";

    @Parameter(names = "--peers", description = "Peer tools to run: sklearn, rtsne, umap (comma-separated; empty for none)")
    String peers = "sklearn,rtsne";

    @Parameter(names = "--repeats", description = "Runs of every tool on every input")
    int repeats = 1;

    @Parameter(names = "--threads", description = "Threads for every tool (0 = all cores)")
    int threads = 0;

    @Parameter(names = "--perplexity", description = "Perplexity for every tool")
    double perplexity = TsneParameters.defaults().perplexity();

    @Parameter(names = "--iterations", description = "Iterations for every tool")
    int iterations = TsneParameters.defaults().maxIter();

    @Parameter(names = "--seed", description = "Seed for every tool")
    long seed = TsneParameters.defaults().randomState();

    @Parameter(names = "--out", required = true, description = "Results, one JSON object per run (.jsonl)")
    Path out;

    @Parameter(names = "--keep", description = "Directory to keep every embedding in (TOOL_N_rREPEAT.npy)")
    Path keep;

    @Parameter(names = "--peers-dir", description = "Where the peer scripts are (default: benchmarks/peers under the project)")
    Path peersDir;

    @Parameter(names = "--python", description = "Python with scikit-learn")
    String python = "/usr/bin/python3";

    @Parameter(names = "--rscript", description = "Rscript with the Rtsne package")
    String rscript = "Rscript";

    @Parameter(names = "--repulsion", description = ScalingOptions.REPULSION_HELP)
    String repulsion = "auto";

    @Parameter(names = "--neighbours", description = ScalingOptions.NEIGHBOURS_HELP)
    String neighbours = "auto";

    @Parameter(names = "--recall", description = "Also measure the recall at k = 90 of the approximate kNN against the exact kNN, per input")
    boolean recall;

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        if (what.size() != 1 || !what.get(0).equals("tsne")) {
            throw new HavException("hav bench " + String.join(" ", what), "unknown benchmark", "use 'hav bench tsne'");
        }
        if (repeats < 1 || iterations < 1) {
            throw new HavException("hav bench tsne", "--repeats and --iterations must be >= 1", "");
        }
        List<Path> in = paths(inputs);
        List<Path> lab = labels == null ? List.of() : paths(labels);
        if (!lab.isEmpty() && lab.size() != in.size()) {
            throw new HavException("--labels", lab.size() + " label files for " + in.size() + " inputs",
                    "give one label file per input, in the same order");
        }
        Path dir = peersDir != null ? peersDir : projectHome().resolve("benchmarks").resolve("peers");
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        TsneParameters params = TsneParameters.builder().perplexity(perplexity).maxIter(iterations)
                .randomState(seed).threads(t).build();
        params = ScalingOptions.apply(params, repulsion, neighbours);
        TsneBenchmark.Config config = new TsneBenchmark.Config(in, lab, names(backends), names(peers), repeats, t, params,
                out, dir, python, rscript, keep, recall);
        List<Map<String, Object>> records = new TsneBenchmark(config).run();
        if (common.json) {
            System.out.println(new ObjectMapper().writeValueAsString(records));
        } else {
            System.out.printf("%-10s %7s %7s %9s %9s %8s %8s %8s %8s%n", "tool", "n", "threads", "seconds", "cpu-s",
                    "KL", "trust", "knn-pres", "hit");
            for (Map<String, Object> r : records) {
                System.out.printf("%-10s %7d %7d %9.2f %9s %8.4f %8.4f %8.4f %8s%n", r.get("tool"), r.get("n"),
                        r.get("threads"), r.get("seconds"),
                        r.get("cpu_seconds") == null ? "-" : String.format("%.2f", r.get("cpu_seconds")), r.get("kl"), r.get("trustworthiness"), r.get("knn_preservation"),
                        r.get("neighbourhood_hit") == null ? "-" : String.format("%.4f", r.get("neighbourhood_hit")));
            }
            System.out.println("results: " + out);
        }
        return 0;
    }

    private static List<Path> paths(String csv) {
        List<Path> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                Path p = Path.of(s.trim());
                if (!Files.isRegularFile(p)) {
                    throw new HavException(p.toString(), "file not found", "check the path");
                }
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> names(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /** The project root: -Dhav.home (set by the ./hav launcher), else the working directory. */
    private static Path projectHome() {
        String home = System.getProperty("hav.home");
        return Path.of(home != null ? home : ".");
    }
}
