package org.hiddenactivity.model;

/**
 * A tensor that can serve as a hidden layer, as {@code hav inspect} lists it.
 *
 * @param number      1-based position among all candidates of the model, in topological order
 * @param tensor      the tensor's name in the graph
 * @param kind        dense, conv, pooled or residual
 * @param pattern     what it was recognised as ("relu", "gelu (erf form)", "silu / swish (x * sigmoid(x))", ...)
 * @param op          the op producing the tensor
 * @param sourceOp    the op its computation starts from (Gemm, MatMul, Conv; Add for a residual block; the pooling)
 * @param node        the producing node's name (may be empty)
 * @param shape       its shape, batch dimension first (-1 where dynamic); null when it could not be determined
 * @param channelAxis the axis of its channels when it is a feature map, else -1
 * @param insideBlock the output of the residual block whose branch it lies in, or null
 * @param analysed    true when the default choice of hidden layers includes it
 * @param reason      why it is or is not analysed by default
 * @param token       for a token tensor [N, T, C], the token analysed (0 = CLS); -1: the mean over tokens (or not
 *                    a token tensor)
 */
public record Candidate(int number, String tensor, LayerKind kind, String pattern, String op, String sourceOp,
                        String node, long[] shape, int channelAxis, String insideBlock, boolean analysed,
                        String reason, int token) {
    /** True for a feature map (a tensor with more than one non-batch axis). */
    public boolean featureMap() {
        return shape != null ? shape.length > 2 : kind == LayerKind.CONV;
    }

    /** Units per observation when feature maps count {@code units}; -1 when the shape is not known. */
    public int units(ConvUnits units) {
        return HiddenLayer.unitsOf(shape, channelAxis, units);
    }

    /** Units per observation with one unit per channel (the default); -1 when unknown. */
    public int units() {
        return units(ConvUnits.CHANNEL);
    }
}
