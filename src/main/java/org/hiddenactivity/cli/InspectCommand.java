package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.model.Candidate;
import org.hiddenactivity.model.HiddenLayer;
import org.hiddenactivity.model.ModelInspection;
import org.hiddenactivity.model.ModelInspector;
import org.hiddenactivity.model.ModelSeries;

@Parameters(commandNames = "inspect",
        commandDescription = "List an ONNX model's hidden-layer candidates: tensor, op, shape, dense or conv")
final class InspectCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "MODEL: a .onnx file, a folder of checkpoints or a reference model name (its last"
            + " checkpoint is inspected)")
    List<String> model = new ArrayList<>();

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        if (model.size() != 1) {
            throw new HavException("hav inspect", "expected one model, got " + model.size(),
                    "run hav inspect FILE.onnx");
        }
        String arg = model.get(0);
        ModelSeries series = null;
        Path file = Path.of(arg);
        if (!Files.isRegularFile(file)) {
            series = ModelSeries.resolve(arg);
            file = series.checkpoint(series.lastEpoch()).path();
        }
        ModelInspection in = ModelInspector.inspect(file);
        Map<String, Integer> layerOf = new LinkedHashMap<>();
        if (series != null) {
            for (HiddenLayer l : series.hiddenLayers()) {
                layerOf.put(l.tensor(), l.number());
            }
        } else {
            int n = 0;
            for (Candidate c : in.analysed()) {
                layerOf.put(c.tensor(), ++n);
            }
        }
        if (common.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", in.file().toAbsolutePath().toString());
            out.put("input", named(in.input(), in.inputShape()));
            out.put("output", named(in.output(), in.outputShape()));
            out.put("shapes_from", in.shapesFrom());
            List<Map<String, Object>> cs = new ArrayList<>();
            for (Candidate c : in.candidates()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tensor", c.tensor());
                m.put("op", c.op());
                m.put("linear_op", c.linearOp());
                m.put("node", c.node());
                m.put("shape", shapeList(c.shape()));
                m.put("units", c.units());
                m.put("dense", c.dense());
                m.put("layer", layerOf.get(c.tensor()));
                cs.add(m);
            }
            out.put("candidates", cs);
            if (series != null) {
                out.put("model", series.describe());
            }
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return 0;
        }
        System.out.println("model   " + in.file());
        System.out.println("input   " + in.input() + " " + render(in.inputShape()));
        System.out.println("output  " + in.output() + " " + render(in.outputShape()));
        if (in.candidates().isEmpty()) {
            System.out.println("no hidden-layer candidates (no activation after a Gemm, MatMul or Conv)");
            return 0;
        }
        System.out.println("shapes  from " + in.shapesFrom());
        int width = Math.max(6, in.candidates().stream().mapToInt(c -> c.tensor().length()).max().orElse(6));
        String fmt = "%-" + width + "s  %-11s  %-6s  %-16s  %5s  %-5s  %s%n";
        System.out.printf(fmt, "tensor", "op", "after", "shape", "units", "dense", "layer");
        for (Candidate c : in.candidates()) {
            Integer layer = layerOf.get(c.tensor());
            System.out.printf(fmt, c.tensor(), c.op(), c.linearOp(), render(c.shape()),
                    c.units() < 0 ? "?" : String.valueOf(c.units()), c.dense() ? "yes" : "no",
                    layer == null ? "-" : String.valueOf(layer));
        }
        System.out.println("(layer: the number --layer takes; by default the dense candidates are analysed when"
                + " there are any)");
        return 0;
    }

    private static Map<String, Object> named(String name, long[] shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("shape", shapeList(shape));
        return m;
    }

    private static List<Long> shapeList(long[] shape) {
        if (shape == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (long d : shape) {
            out.add(d < 0 ? null : d);
        }
        return out;
    }

    private static String render(long[] shape) {
        if (shape == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(']').toString();
    }
}
