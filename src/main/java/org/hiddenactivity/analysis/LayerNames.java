package org.hiddenactivity.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names of the hidden layers as the model describes them ({@code ModelSeries.describe()}'s "hidden_layers":
 * number, name, tensor, units and whatever else the model stage records), read generically so that fields the
 * model stage adds later appear without changes here.
 */
public final class LayerNames {
    public final Map<String, Object> model;
    public final List<Map<String, Object>> hidden = new ArrayList<>();

    @SuppressWarnings("unchecked")
    public LayerNames(AnalysisContext ctx) {
        this.model = ctx.model().describe();
        if (model.get("hidden_layers") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    hidden.add((Map<String, Object>) m);
                }
            }
        }
    }

    public Map<String, Object> of(int layer) {
        for (Map<String, Object> m : hidden) {
            if (m.get("number") instanceof Number n && n.intValue() == layer) {
                return m;
            }
        }
        return Map.of();
    }

    /** "layer 4 (dense4)". */
    public String layerShort(int layer) {
        Object name = of(layer).get("name");
        return "layer " + layer + (name == null ? "" : " (" + name + ")");
    }

    /** "layer 4 (dense4, tensor /dense4/Relu_output_0, 256 units, kind dense)". */
    public String layer(int layer) {
        Map<String, Object> m = of(layer);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().equals("number") || e.getValue() == null) {
                continue;
            }
            String v = String.valueOf(e.getValue());
            parts.add(switch (e.getKey()) {
                case "name" -> v;
                case "units" -> v + " units";
                default -> e.getKey() + " " + v;
            });
        }
        return "layer " + layer + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }
}
