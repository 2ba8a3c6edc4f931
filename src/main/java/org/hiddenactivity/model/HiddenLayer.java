package org.hiddenactivity.model;

/**
 * One analysed hidden layer of a model.
 *
 * @param number 1-based position among the analysed layers, in topological order
 * @param name   a readable name ("hidden1", or the tensor name)
 * @param tensor the ONNX tensor whose values are the layer's activations
 * @param units  values per observation (conv feature maps flattened); -1 when not known before a run
 * @param op     the activation op producing the tensor ("Relu"), or null when the manifest named the tensor
 * @param dense  true when the activation follows a Gemm/MatMul (a dense layer), false after a Conv
 */
public record HiddenLayer(int number, String name, String tensor, int units, String op, boolean dense) {
    @Override
    public String toString() {
        return "layer " + number + " (" + name + (name.equals(tensor) ? "" : ", tensor " + tensor)
                + (units > 0 ? ", " + units + " units" : "") + ")";
    }
}
