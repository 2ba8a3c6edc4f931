package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;

/**
 * Dead and saturated units of one layer at one checkpoint, and the histogram of all its activations, for the
 * explorer's table of units. Dead: the same activation for every observation (as the neuron maps count them).
 * Saturated: not dead, but at least {@link #SATURATED_SHARE} of the observations at the unit's own minimum or
 * maximum (a ReLU unit almost never active, or a sigmoid/tanh unit pinned at a bound).
 */
final class UnitHealth {
    static final double SATURATED_SHARE = 0.99;
    static final int BINS = 40;

    private UnitHealth() {}

    /** {units, dead, saturated, histogram: {low, high, counts}} of activations N x units. */
    static Map<String, Object> of(FloatMatrix acts) {
        int n = acts.rows();
        int m = acts.cols();
        int dead = 0;
        int saturated = 0;
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            float[] range = ExplorerData.columnRange(acts, j);
            float min = range[0];
            float max = range[1];
            low = Math.min(low, min);
            high = Math.max(high, max);
            if (n == 0 || min == max) {
                dead++;
                continue;
            }
            int atMin = 0;
            int atMax = 0;
            for (int i = 0; i < n; i++) {
                float v = acts.get(i, j);
                if (v == min) {
                    atMin++;
                } else if (v == max) {
                    atMax++;
                }
            }
            if (Math.max(atMin, atMax) >= SATURATED_SHARE * n) {
                saturated++;
            }
        }
        long[] counts = new long[BINS];
        double span = high - low;
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                int b = span > 0 ? (int) ((acts.get(i, j) - low) / span * BINS) : 0;
                counts[Math.min(BINS - 1, Math.max(0, b))]++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("units", m);
        out.put("dead", dead);
        out.put("saturated", saturated);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("low", n * m == 0 ? 0 : low);
        h.put("high", n * m == 0 ? 0 : high);
        h.put("counts", counts);
        out.put("histogram", h);
        return out;
    }

    /** For every hidden layer, one entry per checkpoint (epochs in order). */
    static List<Map<String, Object>> table(List<String> layerNames, List<Integer> epochs,
                                           java.util.function.BiFunction<Integer, Integer, FloatMatrix> activations) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int l = 1; l <= layerNames.size(); l++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", l);
            row.put("name", layerNames.get(l - 1));
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int epoch : epochs) {
                Map<String, Object> cell = of(activations.apply(epoch, l));
                cell.put("epoch", epoch);
                cells.add(cell);
            }
            row.put("checkpoints", cells);
            rows.add(row);
        }
        return rows;
    }
}
