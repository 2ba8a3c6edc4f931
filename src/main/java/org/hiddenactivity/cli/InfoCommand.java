package org.hiddenactivity.cli;

import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.hiddenactivity.core.Environment;

@Parameters(commandNames = "info", commandDescription = "Versions of Java and the native libraries; GPU found or not, and why")
final class InfoCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        Map<String, Object> info = new java.util.LinkedHashMap<>(Environment.describe());
        info.putAll(org.hiddenactivity.core.GpuInfo.describe());
        var cuda = new org.hiddenactivity.projection.cuda.CudaTsne().availability();
        info.put("tsne_cuda", cuda.available() ? "available: " + cuda.device() : "unavailable (" + cuda.reason() + ")");
        if (common.json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
        } else {
            info.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v));
        }
        return 0;
    }
}
