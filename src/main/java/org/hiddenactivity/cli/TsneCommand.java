package org.hiddenactivity.cli;

import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import org.hiddenactivity.projection.Projection;
import org.hiddenactivity.projection.TsneParameters;
import org.hiddenactivity.projection.UmapParameters;

/** {@code hav embed --method tsne} under its own name, kept for scripts and benchmarks. */
@Parameters(commandNames = "tsne", commandDescription = "t-SNE of an .npy matrix (rows = points), with quality metrics")
final class TsneCommand implements HavCommand {
    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @ParametersDelegate
    EmbedCommand.InputOutput io = new EmbedCommand.InputOutput();

    @ParametersDelegate
    TsneOptions tsne = new TsneOptions();

    /** The t-SNE parameters of these options (checked by TsneParameters, as for every command). */
    TsneParameters parameters() {
        return tsne.parameters(io.seed, io.threads);
    }

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        TsneParameters params = parameters();  // bad values are refused before any file is read
        return EmbedCommand.run(Projection.Method.TSNE, params, UmapParameters.defaults(), tsne, io, common);
    }
}
