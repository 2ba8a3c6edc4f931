package org.hiddenactivity.model;

/**
 * One analysed hidden layer of a model.
 *
 * @param number      1-based position among the analysed layers, in topological order (what --layer takes)
 * @param name        a readable name ("dense1", or the tensor name)
 * @param tensor      the ONNX tensor whose values are the layer's activations
 * @param kind        dense, conv, pooled or residual
 * @param pattern     what the tensor was recognised as ("relu", "gelu (erf form)", ...; "named" when only named)
 * @param units       values per observation as analysed (channels of a feature map by default); -1 until a run
 * @param channelAxis the axis of the channels of a feature map (-1: not a feature map, or not traced: axis 1)
 * @param origin      why it is analysed: "default", "manifest.json" or "--tensor"
 * @param token       for a token tensor [N, T, C], the token whose C features are the units (0 = CLS); -1 for the
 *                    mean over the positions (tokens, or a map's H x W)
 */
public record HiddenLayer(int number, String name, String tensor, LayerKind kind, String pattern, int units,
                          int channelAxis, String origin, int token) {
    /** A layer whose positions are averaged (no single token taken). */
    public HiddenLayer(int number, String name, String tensor, LayerKind kind, String pattern, int units,
                       int channelAxis, String origin) {
        this(number, name, tensor, kind, pattern, units, channelAxis, origin, -1);
    }

    /** The same layer with a known unit count. */
    public HiddenLayer withUnits(int u) {
        return new HiddenLayer(number, name, tensor, kind, pattern, u, channelAxis, origin, token);
    }

    /** Values per observation of a tensor of {@code shape} (batch first); -1 when unknown. */
    static int unitsOf(long[] shape, int channelAxis, ConvUnits units) {
        if (shape == null || shape.length < 2) {
            return -1;
        }
        if (shape.length > 2 && units == ConvUnits.CHANNEL) {
            long c = shape[channelAxis > 0 && channelAxis < shape.length ? channelAxis : 1];
            return c > 0 ? (int) Math.min(c, Integer.MAX_VALUE) : -1;
        }
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                return -1;
            }
            n = Math.multiplyHigh(n, shape[i]) != 0 ? Long.MAX_VALUE : n * shape[i];
        }
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    /** One line: "layer 2 (dense2, tensor /dense2/Relu_output_0, dense, relu, 256 units)". */
    @Override
    public String toString() {
        return "layer " + number + " (" + name + (name.equals(tensor) ? "" : ", tensor " + tensor) + ", " + kind.id()
                + ", " + pattern + (units > 0 ? ", " + units + " units" : "") + ")";
    }
}
