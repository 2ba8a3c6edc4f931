package org.hiddenactivity.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per named stage of a run, in the order the stages started; shown in every report. */
public final class StageTimer {
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    /** A running stage; closing it adds its time (stages with the same name accumulate). */
    public final class Stage implements AutoCloseable {
        private final String name;
        private final long start = System.nanoTime();

        private Stage(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            double s = (System.nanoTime() - start) / 1e9;
            synchronized (seconds) {
                seconds.merge(name, s, Double::sum);
            }
        }
    }

    public Stage stage(String name) {
        return new Stage(name);
    }

    /** A copy of the timings so far. */
    public Map<String, Double> seconds() {
        synchronized (seconds) {
            return new LinkedHashMap<>(seconds);
        }
    }

    public double total() {
        return seconds().values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
