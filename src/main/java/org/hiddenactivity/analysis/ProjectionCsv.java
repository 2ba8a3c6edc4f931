package org.hiddenactivity.analysis;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;

/**
 * Every projection also as .csv, one row per point with the columns a spreadsheet or pandas needs to colour and
 * filter it. RFC 4180 quoting is done here (a few text columns do not justify a CSV dependency).
 */
public final class ProjectionCsv {
    private ProjectionCsv() {}

    /**
     * An activation projection: {@code index, x, y, label, label_name, predicted, predicted_name, correct, layer,
     * epoch}; {@code predicted} may be null (columns left empty).
     */
    public static void observations(Path csv, FloatMatrix points, int[] labels, int[] predicted, List<String> classNames,
                                    int layer, int epoch) {
        AtomicFiles.write(csv, out -> {
            line(out, "index,x,y,label,label_name,predicted,predicted_name,correct,layer,epoch");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < points.rows(); i++) {
                sb.setLength(0);
                sb.append(i).append(',').append(num(points.get(i, 0))).append(',').append(num(points.get(i, 1)))
                        .append(',').append(labels[i]).append(',').append(quote(name(classNames, labels[i]))).append(',');
                if (predicted != null) {
                    sb.append(predicted[i]).append(',').append(quote(name(classNames, predicted[i]))).append(',')
                            .append(predicted[i] == labels[i] ? 1 : 0);
                } else {
                    sb.append(",,");
                }
                sb.append(',').append(layer).append(',').append(epoch);
                line(out, sb.toString());
            }
        });
    }

    /**
     * A neuron map: {@code neuron, x, y, dead, importance, top_class, top_class_name} for every neuron of the layer;
     * dead neurons have no position (empty x, y). {@code importance} (per neuron, nullable) and {@code topClass}
     * (per neuron, -1 = none, nullable) fill the last columns.
     */
    public static void neurons(Path csv, int units, FloatMatrix livePoints, int[] live, double[] importance,
                               int[] topClass, List<String> classNames, int layer, int epoch) {
        String[] xy = new String[units];
        for (int k = 0; k < live.length; k++) {
            xy[live[k]] = num(livePoints.get(k, 0)) + "," + num(livePoints.get(k, 1));
        }
        AtomicFiles.write(csv, out -> {
            line(out, "neuron,x,y,dead,importance,top_class,top_class_name,layer,epoch");
            for (int j = 0; j < units; j++) {
                String tc = topClass == null || topClass[j] < 0 ? "," : topClass[j] + "," + quote(name(classNames, topClass[j]));
                line(out, j + "," + (xy[j] == null ? "," : xy[j]) + "," + (xy[j] == null ? 1 : 0) + ","
                        + (importance == null ? "" : num(importance[j])) + "," + tc + "," + layer + "," + epoch);
            }
        });
    }

    private static String name(List<String> names, int c) {
        return c >= 0 && c < names.size() ? names.get(c) : Integer.toString(c);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static void line(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
