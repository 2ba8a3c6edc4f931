package org.hiddenactivity.data;

import java.nio.file.Path;

/**
 * What data a command asked for, as its options gave it: a built-in dataset by name ({@code --dataset},
 * {@code --data-dir}, a split), or the user's own files ({@code --images} with {@code --targets} and
 * {@code --class-names}, or {@code --images DIR} in the ImageFolder layout), and the pixel scale. Built by the CLI,
 * loaded by {@link Datasets#load(DatasetRequest)}, which checks the combination.
 *
 * @param dataset      built-in dataset name, or null
 * @param split        split of a built-in dataset (null: test)
 * @param dataDir      folder of a built-in dataset's files, or null for the default lookup
 * @param images       the user's .npy array or ImageFolder folder, or null
 * @param targets      .npy of the class index of every image (with a .npy {@code images}), or null
 * @param classNames   "a,b,c" or a text file with one name per line, or null
 * @param imagesLayout "nhwc" or "nchw" for a 4-D .npy whose shape does not say, or null
 * @param scale        {@code --scale} as typed ("1/255", "1"), or null for the default of the data's type
 * @param size         the first {@code size} observations ({@code <= 0}: all)
 */
public record DatasetRequest(String dataset, Split split, Path dataDir, Path images, Path targets, String classNames,
                             String imagesLayout, String scale, int size) {

    /** A built-in dataset, its split and folder, the default scale. */
    public static DatasetRequest builtin(String dataset, Split split, Path dataDir, int size) {
        return new DatasetRequest(dataset, split, dataDir, null, null, null, null, null, size);
    }

    /** True when the user gave their own files. */
    public boolean userData() {
        return images != null;
    }

    /** This request with {@code dataset} filled in when neither a dataset nor images were given (a manifest's). */
    public DatasetRequest withDefaultDataset(String name) {
        if (dataset != null || images != null || name == null) {
            return this;
        }
        return new DatasetRequest(name, split, dataDir, images, targets, classNames, imagesLayout, scale, size);
    }

    /** This request for the built-in dataset {@code name} (resolved by the caller, e.g. from a manifest). */
    public DatasetRequest withDataset(String name) {
        return new DatasetRequest(name, split, dataDir, images, targets, classNames, imagesLayout, scale, size);
    }

    /** This request with another size. */
    public DatasetRequest withSize(int newSize) {
        return new DatasetRequest(dataset, split, dataDir, images, targets, classNames, imagesLayout, scale, newSize);
    }
}
