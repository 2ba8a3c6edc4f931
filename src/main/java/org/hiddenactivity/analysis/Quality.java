package org.hiddenactivity.analysis;

/**
 * How faithful and how class-separated one projection is.
 *
 * @param neighbourhoodHit   fraction of each point's 6 nearest 2-D neighbours sharing its true class
 * @param trustworthiness    trustworthiness at k = 12 (1 = no false neighbours in 2-D)
 * @param klDivergence       KL(P || Q) of the final embedding as the t-SNE backend measured it (NaN for MDS)
 * @param perClassHit        neighbourhood hit of the points of each class
 * @param hitPerObservation  each observation's own neighbourhood hit (fraction of its 6 nearest 2-D neighbours
 *                           sharing its class); their mean is {@code neighbourhoodHit}, the findings bootstrap them
 */
public record Quality(double neighbourhoodHit, double trustworthiness, double klDivergence, double[] perClassHit,
                      double[] hitPerObservation) {}
