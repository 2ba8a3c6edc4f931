package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python/hav_export.py, as the README shows it: two checkpoints of a torch model exported from a training loop, then
 * {@code hav report} with no flags (dataset and normalisation come from the manifest: no normalisation warning).
 * Needs Debian's python3-torch and python3-onnx (scripts/install-system-deps.sh installs them); skipped without.
 */
class ExporterRoundTripTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, onnx").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void twoExportedCheckpointsMakeAReportWithNoFlags() throws Exception {
        Assumptions.assumeTrue(torchAvailable(), PYTHON + " cannot import torch and onnx (Debian: apt-get install"
                + " python3-torch python3-onnx, as scripts/install-system-deps.sh does)");
        Path exporter = Path.of("python").toAbsolutePath();
        Path model = dir.resolve("runs/mlp");
        String script = String.join("\n",
                "import sys, torch, torch.nn as nn",
                "sys.path.insert(0, sys.argv[1])",
                "from hav_export import export_checkpoint",
                "torch.manual_seed(0)",
                "model = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),"
                        + " nn.Linear(16, 10))",
                "opt = torch.optim.SGD(model.parameters(), lr=0.1)",
                "example = torch.zeros(1, 1, 28, 28)",
                "for epoch in range(2):",
                "    if epoch > 0:",
                "        for _ in range(5):",
                "            x, y = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))",
                "            opt.zero_grad(); nn.functional.cross_entropy(model(x), y).backward(); opt.step()",
                "    export_checkpoint(model, example, sys.argv[2], epoch, dataset='mnist', mean=[0.1307],"
                        + " std=[0.3081])",
                "assert model.training, 'training mode restored'",
                "");
        Path py = dir.resolve("train.py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(PYTHON, py.toString(), exporter.toString(), model.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        assertTrue(Files.isRegularFile(model.resolve("epoch_000.onnx")) && Files.isRegularFile(model.resolve(
                "epoch_001.onnx")), log);
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertEquals(2, manifest.get("checkpoints").size(), manifest.toString());

        Path out = dir.resolve("report");
        HavRun r = HavRun.of("report", "--model", model.toString(), "--size", "100", "--image-size", "256",
                "--iterations", "250", "--out", out.toString(), "--cache-dir", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("index.html")), r.err());
        assertFalse(r.err().toLowerCase(java.util.Locale.ROOT).contains("normalisation"), r.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertTrue(report.path("provenance").path("normalisation").asText().contains("0.1307"),
                report.path("provenance").toString());
    }
}
