package org.hiddenactivity.cli;

import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.model.Checkpoint;
import org.hiddenactivity.model.LayerActivations;
import org.hiddenactivity.model.ModelOptions;
import org.hiddenactivity.model.ModelSeries;

/**
 * {@code hav activations --spark}: the activations of one layer computed by Spark executors, each on a partition of
 * the observations. Implemented by the optional Spark module (spark/), found through {@link java.util.ServiceLoader}.
 */
public interface DistributedExtraction {
    /** The same values and predictions as the local extraction, row for row. */
    LayerActivations extract(ModelSeries series, Checkpoint cp, Dataset data, int layer, ModelOptions options,
                             String master, int partitions);
}
