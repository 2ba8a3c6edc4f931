package org.hiddenactivity.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ModelInspector} found in one ONNX file.
 *
 * @param file        the model
 * @param input       name of its data input
 * @param inputShape  its shape (-1 where dynamic)
 * @param output      name of the final output (argmax = predicted class)
 * @param outputShape its shape, or null when not recorded
 * @param candidates  hidden-layer candidates in topological order
 * @param shapesFrom  how the candidates' shapes were found ("value_info", "a run on zeros", or why unknown)
 * @param tokens      for a model with token tensors [N, T, C], which token reduction is taken and why; else null
 * @param excluded    tensors that look like layers but are not candidates (norm internals, gates, logits), and why
 * @param classOutput which output holds the class scores ({@code output}) and why
 */
public record ModelInspection(Path file, String input, long[] inputShape, String output, long[] outputShape,
                              List<Candidate> candidates, String shapesFrom, String tokens,
                              List<ExcludedTensor> excluded, ClassOutput classOutput) {
    /** Why {@link #output()} holds the class scores. */
    public String outputReason() {
        return classOutput == null ? "the first graph output" : classOutput.reason();
    }

    /** The layers analysed by default (see {@link Candidate#reason()} for why each is or is not). */
    public List<Candidate> analysed() {
        return candidates.stream().filter(Candidate::analysed).toList();
    }

    /** The candidate holding {@code tensor}, or null. */
    public Candidate candidate(String tensor) {
        return candidates.stream().filter(c -> c.tensor().equals(tensor)).findFirst().orElse(null);
    }
}
