package org.hiddenactivity.model;

import java.util.Locale;

/** What a hidden-layer tensor is, which decides how its units are counted and whether it is analysed by default. */
public enum LayerKind {
    /** An activation after a Gemm/MatMul: one unit per column. */
    DENSE,
    /** An activation after a Conv: a feature map, one unit per channel by default (mean over the positions). */
    CONV,
    /** The output of global pooling (or of a pooling that is then flattened): one unit per channel. */
    POOLED,
    /** The output of a residual block, x + f(x) (or its activation): dense or a feature map. */
    RESIDUAL;

    /** Lower-case name used in JSON, tables and the manifest ("dense", "conv", "pooled", "residual"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id} (case-insensitive), or null. */
    public static LayerKind parse(String id) {
        for (LayerKind k : values()) {
            if (k.id().equalsIgnoreCase(id)) {
                return k;
            }
        }
        return null;
    }
}
