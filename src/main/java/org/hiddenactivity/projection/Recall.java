package org.hiddenactivity.projection;

/** Recall of an approximate kNN graph: the mean fraction of each row's true k neighbours that it found. */
final class Recall {
    private Recall() {}

    static double of(Neighbours exact, Neighbours approximate) {
        int n = exact.n();
        int k = Math.min(exact.k(), approximate.k());
        long found = 0;
        java.util.BitSet truth = new java.util.BitSet(n);
        for (int i = 0; i < n; i++) {
            truth.clear();
            for (int e = 0; e < k; e++) {
                truth.set(exact.index()[i * exact.k() + e]);
            }
            for (int e = 0; e < k; e++) {
                if (truth.get(approximate.index()[i * approximate.k() + e])) {
                    found++;
                }
            }
        }
        return found / ((double) n * k);
    }
}
