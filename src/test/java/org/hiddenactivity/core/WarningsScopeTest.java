package org.hiddenactivity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two runs at once in one JVM (as in a Spark executor): each run's recorder holds its own warnings. */
class WarningsScopeTest {
    @Test
    void twoConcurrentRunsRecordOnlyTheirOwnWarnings() throws Exception {
        Warnings.printTo(m -> { });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // both recorders are open before either run warns, and both runs warn before either closes
        CyclicBarrier opened = new CyclicBarrier(2);
        CyclicBarrier warned = new CyclicBarrier(2);
        try (Warnings.Recorder everything = Warnings.record()) {
            Future<List<String>> a = pool.submit(() -> run("a", opened, warned));
            Future<List<String>> b = pool.submit(() -> run("b", opened, warned));
            assertEquals(List.of("a: first", "a: once", "a: last"), a.get());
            assertEquals(List.of("b: first", "b: once", "b: last"), b.get());
            // a recorder outside any scope still sees every run's messages
            assertEquals(6, everything.warnings().size(), everything.warnings().toString());
        } finally {
            pool.shutdownNow();
            Warnings.printTo(null);
        }
    }

    private static List<String> run(String name, CyclicBarrier opened, CyclicBarrier warned) throws Exception {
        try (Warnings.Scope run = Warnings.scope(); Warnings.Recorder own = Warnings.record()) {
            opened.await();
            Warnings.warn(name + ": first");
            // the same key in both runs: each run warns once
            Warnings.warnOnce("shared key", name + ": once");
            Warnings.warnOnce("shared key", name + ": once again");
            warned.await();
            Warnings.warn(name + ": last");
            return own.warnings();
        }
    }

    @Test
    void aThreadOutsideAnyScopeReachesEveryRecorderAndScopesNest() throws Exception {
        Warnings.printTo(m -> { });
        try (Warnings.Scope outer = Warnings.scope(); Warnings.Recorder outerRecorder = Warnings.record()) {
            Thread pooled = new Thread(() -> Warnings.warn("from a thread without a scope"));
            pooled.start();
            pooled.join();
            try (Warnings.Scope inner = Warnings.scope(); Warnings.Recorder innerRecorder = Warnings.record()) {
                Warnings.warn("inner");
                assertEquals(List.of("inner"), innerRecorder.warnings());
            }
            Warnings.warn("outer");
            assertEquals(List.of("from a thread without a scope", "inner", "outer"), outerRecorder.warnings());
        } finally {
            Warnings.printTo(null);
        }
    }
}
