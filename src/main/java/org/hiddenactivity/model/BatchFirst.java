package org.hiddenactivity.model;

/**
 * Moves a tensor's batch axis to the front: a sequence-first tensor ([T, N, C] from torch's default transformer
 * layer) is analysed as the batch-first [N, T, C]. The axis is the one {@link LayerDiscovery} traced from the input.
 */
final class BatchFirst {
    private BatchFirst() {}

    /** The shape with axis {@code batch} first (unchanged when it already is, or the axis is out of range). */
    static long[] shape(long[] shape, int batch) {
        if (batch <= 0 || shape == null || batch >= shape.length) {
            return shape;
        }
        long[] out = new long[shape.length];
        out[0] = shape[batch];
        for (int i = 0, j = 1; i < shape.length; i++) {
            if (i != batch) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** Row-major values of a tensor of {@code shape} with axis {@code batch} moved first. */
    static float[] values(float[] data, long[] shape, int batch) {
        if (batch <= 0 || batch >= shape.length) {
            return data;
        }
        long outer = 1;
        for (int i = 0; i < batch; i++) {
            outer *= shape[i];
        }
        int rows = (int) shape[batch];
        long inner = data.length / Math.max(1, outer * rows);
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (long o = 0; o < outer; o++) {
                System.arraycopy(data, (int) ((o * rows + r) * inner), out, (int) ((r * outer + o) * inner),
                        (int) inner);
            }
        }
        return out;
    }
}
