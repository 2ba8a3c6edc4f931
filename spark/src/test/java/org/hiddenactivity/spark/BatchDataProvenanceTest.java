package org.hiddenactivity.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hiddenactivity.cli.BatchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rerun skips a run whose data is unchanged and reruns it once one of its image files changes. */
class BatchDataProvenanceTest {
    @Test
    void changingAnImageFileMakesTheRunRerun(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("images");
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < 3; i++) {
                writeImage(images.resolve("class" + c).resolve(i + ".png"), 10 * c + i);
            }
        }
        Path plan = tmp.resolve("plan.json");
        Files.writeString(plan, "{\"runs\": [{\"name\": \"own-images\", \"model\": \"mnist_mlp\", \"command\": \"project\","
                + " \"options\": " + BatchTest.JSON.writeValueAsString(List.of("--images", images.toString(),
                "--projection", "pca", "--image-size", "256", "--threads", "1", "--cache-dir",
                tmp.resolve("cache").toString())) + "}]}");
        BatchCommand.Request request = new BatchCommand.Request(plan.toString(), tmp.resolve("batch").toString(),
                "local[1]", false, true, true);
        assertEquals("done", Batch.execute(request).results().get(0).status());
        assertEquals("skipped", Batch.execute(request).results().get(0).status(), "nothing changed");
        writeImage(images.resolve("class4/1.png"), 99);
        assertEquals("done", Batch.execute(request).results().get(0).status(), "an image file changed");
        assertEquals("skipped", Batch.execute(request).results().get(0).status());
    }

    /** A 28 x 28 grey image whose pixels depend on {@code seed}. */
    private static void writeImage(Path file, int seed) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random r = new java.util.Random(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = r.nextInt(256);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
