package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.hiddenactivity.core.HavException;

/**
 * {@code hav batch}: the options live here (so {@code hav --help} lists it), the work in the optional Spark module
 * (spark/), found through {@link ServiceLoader}: the main jar never loads Spark.
 */
@Parameters(commandNames = "batch", commandDescription = "Run a plan of reports as Apache Spark tasks; writes an index"
        + " and a comparison across runs (needs the Spark module, spark/)")
public final class BatchCommand implements HavCommand {
    /** What the Spark module implements. */
    public interface Engine {
        int run(Request request) throws Exception;
    }

    /** The parsed options of {@code hav batch}. */
    public record Request(String plan, String out, String master, boolean fresh, boolean json, boolean quiet) {}

    /** How to build the Spark module; printed when it is missing. */
    public static final String BUILD_HINT = "build the Spark module once with scripts/build-spark.sh (Maven downloads"
            + " Apache Spark, about 250 MB, the first time), then run ./hav batch again";

    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "PLAN.json: {\"runs\": [{\"name\", \"model\", \"options\": [...], \"command\"}]}")
    List<String> plan = new ArrayList<>();

    @Parameter(names = "--out", description = "Batch folder (a local path or any Hadoop file system URI: file://, hdfs://, s3a://)")
    String out;

    @Parameter(names = "--master", description = "Spark master URL (default: local[*], Spark embedded in this process;"
            + " spark.master when run under spark-submit)")
    String master;

    @Parameter(names = "--fresh", description = "Rerun every run, also those already complete with the same provenance")
    boolean fresh;

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        if (plan.size() != 1) {
            throw new HavException(null, plan.isEmpty() ? "no plan given" : "more than one plan given: " + plan,
                    "give one PLAN.json, e.g. hav batch plan.json --out batch/", Main.EXIT_USAGE, null);
        }
        if (out == null) {
            throw new HavException(null, "--out is missing", "name the batch folder, e.g. --out batch/",
                    Main.EXIT_USAGE, null);
        }
        Engine engine = ServiceLoader.load(Engine.class).findFirst().orElseThrow(() -> new HavException(null,
                "the Spark module is not on the class path", BUILD_HINT, HavException.EXIT_RUNTIME, null));
        return engine.run(new Request(plan.get(0), out, master, fresh, common.json, common.quiet || common.json));
    }
}
