package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;
import org.hiddenactivity.data.DatasetRequest;
import org.hiddenactivity.data.Split;

/**
 * The options of the data stage for the user's own data and the pixel scale, shared by every command that reads a
 * dataset (included with {@code @ParametersDelegate}). Paths go through {@link LocalePathConverter}, so a path the
 * locale cannot represent gets a message that says to use a UTF-8 locale.
 */
final class UserDataArgs {
    @Parameter(names = "--images", converter = LocalePathConverter.class, description = "Your own images instead of --dataset: a .npy array (N x H x W,"
            + " N x H x W x C or N x C x H x W; uint8 or float) with --targets, or a folder DIR/CLASS_NAME/*.png|jpg"
            + " (classes sorted by name, as torchvision's ImageFolder)")
    Path images;

    @Parameter(names = "--targets", converter = LocalePathConverter.class, description = "With a .npy --images: .npy of N class indices 0..C-1")
    Path targets;

    @Parameter(names = "--class-names", description = "With a .npy --images: the class names, a,b,c or a text file"
            + " with one per line (default: 0, 1, ...)")
    String classNames;

    @Parameter(names = "--images-layout", description = "nhwc or nchw, for a 4-D .npy --images whose shape does not"
            + " say which axis holds the channels")
    String imagesLayout;

    @Parameter(names = "--scale", description = "Factor applied to the stored pixel values before the model's"
            + " normalisation, e.g. 1/255 or 1 (default: 1/255 for 8-bit images, 1 for float arrays)")
    String scale;

    /** The request for these options and the built-in dataset options of the command. */
    DatasetRequest request(String dataset, Split split, Path dataDir, int size) {
        return new DatasetRequest(dataset, split, dataDir, images, targets, classNames, imagesLayout, scale, size);
    }
}
