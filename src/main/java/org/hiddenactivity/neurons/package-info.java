/**
 * Neurons as objects of study: {@link org.hiddenactivity.neurons.ExtraTrees} (scikit-learn-compatible MDI
 * importances, all classes or one-vs-rest), {@link org.hiddenactivity.neurons.NeuronDissimilarity}
 * (1 - |Pearson r| between neurons, dead neurons apart) and {@link org.hiddenactivity.neurons.Mds}
 * (metric MDS by SMACOF from a classical-MDS start). Checked against scikit-learn by
 * benchmarks/importance/compare_sklearn.py.
 */
package org.hiddenactivity.neurons;
