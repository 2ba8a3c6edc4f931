package org.hiddenactivity.model;

/**
 * A tensor that can serve as a hidden layer: the output of an activation following a linear op.
 *
 * @param tensor   the tensor's name in the graph
 * @param op       the activation op (Relu, Tanh, ...)
 * @param linearOp the linear op before it (Gemm, MatMul, Conv)
 * @param node     the activation node's name (may be empty)
 * @param shape    its shape, batch dimension first (-1 where dynamic); null when it could not be determined
 * @param dense    true after Gemm/MatMul, false after Conv
 * @param analysed true when the default choice of hidden layers includes it
 */
public record Candidate(String tensor, String op, String linearOp, String node, long[] shape, boolean dense,
                        boolean analysed) {
    /** Values per observation (product of the non-batch dimensions), or -1 when unknown. */
    public int units() {
        if (shape == null || shape.length == 0) {
            return -1;
        }
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                return -1;
            }
            n *= shape[i];
        }
        return (int) n;
    }
}
