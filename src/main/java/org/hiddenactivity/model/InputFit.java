package org.hiddenactivity.model;

import java.util.Arrays;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.data.Dataset;

/**
 * How a dataset's CHW rows become the model's input tensor: flat [N, C*H*W], [N, H, W] (one channel),
 * [N, C, H, W] as stored, or [N, H, W, C] (Keras/tf2onnx) by transposition. Decided from the model's input shape.
 */
final class InputFit {
    enum Layout { FLAT, FLAT_HWC, HW, NCHW, NHWC }

    final Layout layout;
    final long[] perObservation;
    /** The batch size fixed by the model, or -1 when the batch dimension is dynamic. */
    final int fixedBatch;

    private InputFit(Layout layout, long[] perObservation, int fixedBatch) {
        this.layout = layout;
        this.perObservation = perObservation;
        this.fixedBatch = fixedBatch;
    }

    /**
     * Fits the dataset to {@code shape} (-1 = dynamic), or explains why it cannot. {@code channelsLast} (the
     * manifest's input_layout or --layout; null when unsaid): a 4-D input whose shape fits both layouts is NHWC
     * when true, and a flat input takes the pixels in height-width-channel order (a Keras model fed numpy images
     * flattened) instead of CHW.
     */
    static InputFit of(long[] shape, Dataset data, String modelName, Boolean channelsLast) {
        boolean flatHwc = Boolean.TRUE.equals(channelsLast);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        String dataShape = c + "x" + h + "x" + w + " (" + data.features() + " values)";
        String subject = modelName;
        String fix = "use the dataset the model was trained on (--dataset), or export the model with an input of "
                + "[N, " + data.features() + "], [N, " + c + ", " + h + ", " + w + "] or [N, " + h + ", " + w + ", " + c
                + "]";
        if (shape == null || shape.length < 2) {
            throw new HavException(subject, "the model input has shape " + Arrays.toString(shape)
                    + "; cannot feed images of " + dataShape, fix);
        }
        int batch = shape[0] > 0 ? (int) shape[0] : -1;
        String problem = "the model input " + render(shape) + " does not fit " + data.name() + " images of "
                + dataShape;
        switch (shape.length) {
            case 2 -> {
                if (matches(shape[1], data.features())) {
                    return new InputFit(flatHwc && c > 1 ? Layout.FLAT_HWC : Layout.FLAT, new long[] {data.features()},
                            batch);
                }
            }
            case 3 -> {
                if (c == 1 && matches(shape[1], h) && matches(shape[2], w)) {
                    return new InputFit(Layout.HW, new long[] {h, w}, batch);
                }
            }
            case 4 -> {
                boolean nchw = matches(shape[1], c) && matches(shape[2], h) && matches(shape[3], w);
                boolean nhwc = matches(shape[1], h) && matches(shape[2], w) && matches(shape[3], c);
                if (nchw && nhwc && channelsLast != null) {
                    return channelsLast ? new InputFit(Layout.NHWC, new long[] {h, w, c}, batch)
                            : new InputFit(Layout.NCHW, new long[] {c, h, w}, batch);
                }
                if (nchw && nhwc && shape[1] < 0) {
                    // both fit because dimensions are dynamic: channels first is taken, and the user is told
                    Warnings.warnOnce("layout:" + modelName, modelName + ": the input shape " + render(shape)
                            + " does not say whether channels come first; taking NCHW (PyTorch). Pass --layout nhwc"
                            + " for a channels-last (Keras) model");
                }
                // with everything dynamic both fit; the channel count, when fixed, decides
                if (nchw && (shape[1] > 0 || !nhwc)) {
                    return new InputFit(Layout.NCHW, new long[] {c, h, w}, batch);
                }
                if (nhwc) {
                    return new InputFit(Layout.NHWC, new long[] {h, w, c}, batch);
                }
            }
            default -> { }
        }
        throw new HavException(subject, problem, fix);
    }

    private static boolean matches(long dim, int size) {
        return dim < 0 || dim == size;
    }

    static String render(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(']').toString();
    }

    /** The tensor shape for a batch of {@code n}. */
    long[] shape(int n) {
        long[] s = new long[perObservation.length + 1];
        s[0] = n;
        System.arraycopy(perObservation, 0, s, 1, perObservation.length);
        return s;
    }

    /** Copies row {@code row} (CHW, already normalised) into {@code out} at {@code offset} in this layout. */
    void put(float[] chw, int c, int hw, float[] out, int offset) {
        if (layout != Layout.NHWC && layout != Layout.FLAT_HWC) {
            System.arraycopy(chw, 0, out, offset, chw.length);
            return;
        }
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                out[offset + p * c + ch] = chw[ch * hw + p];
            }
        }
    }
}
