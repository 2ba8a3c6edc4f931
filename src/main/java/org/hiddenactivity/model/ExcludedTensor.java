package org.hiddenactivity.model;

/**
 * A tensor that looks like a layer but is not a candidate, and why: a normalisation's internals, a gate, the logits.
 *
 * @param tensor its name
 * @param reason why it is not a hidden-layer candidate
 */
public record ExcludedTensor(String tensor, String reason) {}
