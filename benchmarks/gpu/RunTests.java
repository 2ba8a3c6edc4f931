import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.ClassSelector;

/**
 * Runs the named JUnit test classes without Maven (the GPU machine has only the carried Java runtime): prints each
 * failure and a summary, exit code 0 when every test passed, 1 otherwise, 2 when none was found.
 * Compiled by pack.sh against the JUnit platform launcher; run with -Dhav.gpu.tests=true on the GPU machine.
 */
public final class RunTests {
    private RunTests() {}

    public static void main(String[] args) {
        List<ClassSelector> selectors = new ArrayList<>();
        for (String name : args) {
            selectors.add(DiscoverySelectors.selectClass(name));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 20);
        summary.printTo(out);
        out.printf("tests: found %d, succeeded %d, failed %d, skipped %d, aborted %d%n",
                summary.getTestsFoundCount(), summary.getTestsSucceededCount(), summary.getTestsFailedCount(),
                summary.getTestsSkippedCount(), summary.getTestsAbortedCount());
        System.exit(summary.getTestsFoundCount() == 0 ? 2 : summary.getTotalFailureCount() > 0 ? 1 : 0);
    }
}
