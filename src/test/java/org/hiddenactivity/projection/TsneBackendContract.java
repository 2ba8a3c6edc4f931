package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.Warnings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every t-SNE backend must do, written once (openTSNE's test-per-implementation pattern): subclasses name the
 * backend. {@code CpuTsneContractTest} runs always; {@code projection.cuda.CudaTsneContractTest} on a GPU machine
 * with {@code -Dhav.gpu.tests=true}. Only 2-D, as both backends support it.
 */
public abstract class TsneBackendContract {
    /** Short runs: the cases check behaviour, not the converged quality (the benchmarks do). */
    protected static final TsneParameters P = TsneParameters.defaults().withMaxIter(300).withThreads(2);

    private TsneBackend backend;

    /** A fresh backend under test (closed after each test). */
    protected abstract TsneBackend createBackend();

    /**
     * How far two runs with the same seed and input may be apart, relative to the embedding's extent: 0 where a
     * backend is bit-for-bit reproducible (the CPU, for any thread count).
     */
    protected abstract double repeatTolerance();

    @BeforeEach
    void open() {
        backend = createBackend();
        Warnings.resetOnce();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    protected TsneBackend backend() {
        return backend;
    }

    /** The message the shared entry ({@link TsneInput}) gives; the backend must give exactly it. */
    private static String sharedMessage(Runnable check) {
        return assertThrows(HavException.class, check::run).getMessage();
    }

    private void assertRefusedAsShared(Runnable backendCall, Runnable sharedCheck, String fragment) {
        HavException e = assertThrows(HavException.class, backendCall::run);
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode(), e.getMessage());
        assertEquals(sharedMessage(sharedCheck), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void badInputIsRefusedWithTheSharedMessages() {
        FloatMatrix x = TestData.gaussian(50, 3, 1);
        FloatMatrix nan = x.copy();
        nan.set(7, 2, Float.NaN);
        assertRefusedAsShared(() -> backend.embed(nan, P, null, Progress.NONE), () -> TsneInput.of(nan, P, null),
                "row 7, column 2");
        FloatMatrix inf = x.copy();
        inf.set(3, 0, Float.NEGATIVE_INFINITY);
        assertRefusedAsShared(() -> backend.embed(inf, P, null, Progress.NONE), () -> TsneInput.of(inf, P, null),
                "row 3, column 0");
        for (FloatMatrix bad : List.of(FloatMatrix.zeros(0, 5), FloatMatrix.zeros(1, 5), FloatMatrix.zeros(10, 0))) {
            assertRefusedAsShared(() -> backend.embed(bad, P, null, Progress.NONE), () -> TsneInput.of(bad, P, null),
                    TsneInput.SUBJECT);
        }
        FloatMatrix start = FloatMatrix.zeros(49, 2);
        assertRefusedAsShared(() -> backend.embed(x, P, start, Progress.NONE), () -> TsneInput.of(x, P, start),
                "expected 50 x 2");
        List<FloatMatrix> uneven = List.of(x, TestData.gaussian(41, 3, 2));
        assertRefusedAsShared(() -> backend.embedDynamic(uneven, P, 0.1, Progress.NONE),
                () -> TsneInput.dynamic(uneven, P, 0.1), "41 rows");
        assertRefusedAsShared(() -> backend.embedDynamic(List.of(x, x), P, -1, Progress.NONE),
                () -> TsneInput.dynamic(List.of(x, x), P, -1), "lambda");
        assertRefusedAsShared(() -> backend.embedDynamic(List.of(), P, 0.1, Progress.NONE),
                () -> TsneInput.dynamic(List.of(), P, 0.1), "no snapshots");
        // parameters are refused where they are made, before any backend sees them
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            HavException e = assertThrows(HavException.class, () -> P.withPerplexity(bad));
            assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("perplexity"), e.getMessage());
        }
    }

    @Test
    void smallInputsFollowTheOnePerplexityRule() {
        FloatMatrix x = TestData.gaussian(40, 4, 2);
        Embedding e;
        try (Warnings.Recorder warnings = Warnings.record()) {
            e = backend.embed(x, P, null, Progress.NONE);
            assertTrue(warnings.warned("perplexity"), warnings.warnings().toString());
        }
        assertEquals(13.0, e.perplexity(), 1e-12);
        assertEquals(TsneParameters.perplexityFor(30, 40), e.perplexity(), 0);
        assertTrue(TestData.allFinite(e.points()));
        // the metrics score the P that was optimised
        assertEquals(e.perplexity(), Metrics.evaluate(x, e.points(), null, P.perplexity(), 2).perplexity(), 0);
        for (int n = 2; n <= 4; n++) {
            Embedding tiny = backend.embed(TestData.gaussian(n, 3, n), P, null, Progress.NONE);
            assertTrue(TestData.allFinite(tiny.points()), "n = " + n);
            assertEquals(TsneParameters.perplexityFor(30, n), tiny.perplexity(), 0, "n = " + n);
            assertEquals(1.0, tiny.perplexity(), 0, "n = " + n + ": never below 1");
        }
    }

    @Test
    void outputHasOnePointPerRowAndStartsFromTheGivenPoints() {
        FloatMatrix x = TestData.blobs(2, 60, 4, 5);
        FloatMatrix start = TestData.gaussian(120, 2, 6);
        TsneParameters oneStep = P.withEarlyExaggerationIter(0).withMaxIter(1).withLearningRate(1e-6);
        Embedding e = backend.embed(x, oneStep, start, Progress.NONE);
        assertEquals(120, e.points().rows());
        assertEquals(2, e.points().cols());
        for (int k = 0; k < start.data().length; k++) {
            assertEquals(start.data()[k], e.points().data()[k], 1e-3);
        }
        assertEquals(backend.name(), e.backend());
    }

    @Test
    void separatedClustersStaySeparated() {
        FloatMatrix x = TestData.blobs(4, 60, 10, 1);
        Embedding e = backend.embed(x, P.withMaxIter(500), null, Progress.NONE);
        assertEquals(240, e.points().rows());
        assertTrue(TestData.allFinite(e.points()));
        double hit = Metrics.neighbourhoodHit(e.points(), TestData.blobLabels(4, 60), 6, 2);
        assertTrue(hit > 0.95, "neighbourhood hit " + hit);
        assertEquals(30, e.perplexity());
        assertEquals(500 / Embedding.KL_EVERY, e.klHistory().length);
        assertTrue(Double.isFinite(e.klDivergence()) && e.klDivergence() > 0, "KL " + e.klDivergence());
    }

    @Test
    void sameSeedTwiceGivesTheSameEmbedding() {
        FloatMatrix x = TestData.blobs(3, 70, 6, 3);
        assertClose(backend.embed(x, P, null, Progress.NONE).points(), backend.embed(x, P, null, Progress.NONE).points(),
                repeatTolerance(), "same seed");
        TsneParameters random = P.withInit(TsneParameters.Init.RANDOM);
        FloatMatrix a = backend.embed(x, random.withRandomState(7), null, Progress.NONE).points();
        FloatMatrix b = backend.embed(x, random.withRandomState(8), null, Progress.NONE).points();
        assertTrue(maxDifference(a, b) > 0.1 * extent(a), "the seed was ignored");
    }

    /**
     * Issue 9 (before: times 1e30 gave KL 0.0000 and trustworthiness 0.70 instead of 0.94; times 1e-20 "no
     * variance"). The same clusters times 2^-66, 1 or 2^100 give the very same embedding and metrics (the rescaling
     * is exact for powers of two). Times 1e-20 or 1e30 the input itself is rounded differently in float, and t-SNE
     * does not keep a one-ulp change of its input (measured: a factor 1.0000001 moves points as much as 1e30 does), so
     * there the embedding must be as good as the unscaled one: the metrics within what such a rounding changes.
     */
    @Test
    void anyFiniteScaleGivesTheSameEmbeddingAndMetrics() {
        FloatMatrix x = TestData.blobs(3, 50, 5, 11);
        int[] labels = TestData.blobLabels(3, 50);
        Embedding base = backend.embed(x, P, null, Progress.NONE);
        Metrics.Report baseMetrics = Metrics.evaluate(x, base.points(), labels, 30, 2);
        assertTrue(baseMetrics.trustworthiness() > 0.9, baseMetrics.toString());
        for (double scale : new double[] {Math.scalb(1.0, -66), Math.scalb(1.0, 100), 1e-20, 1e30}) {
            FloatMatrix scaled = times(x, scale);
            String what = "scale " + scale;
            try (Warnings.Recorder warnings = Warnings.record()) {
                Embedding e = backend.embed(scaled, P, null, Progress.NONE);
                Metrics.Report m = Metrics.evaluate(scaled, e.points(), labels, 30, 2);
                assertTrue(warnings.warnings().isEmpty(), what + ": " + warnings.warnings());
                if (scale == Math.scalb(1.0, Math.getExponent(scale))) {
                    assertClose(base.points(), e.points(), repeatTolerance(), what);
                    double tolerance = repeatTolerance() == 0 ? 0 : 1e-3;
                    assertEquals(baseMetrics.trustworthiness(), m.trustworthiness(), tolerance, what);
                    assertEquals(baseMetrics.knnPreservation(), m.knnPreservation(), tolerance, what);
                    assertEquals(baseMetrics.klDivergence(), m.klDivergence(), tolerance + 1e-12, what);
                } else {
                    assertEquals(baseMetrics.trustworthiness(), m.trustworthiness(), 0.01, what);
                    assertEquals(baseMetrics.knnPreservation(), m.knnPreservation(), 0.05, what);
                    assertEquals(baseMetrics.klDivergence(), m.klDivergence(), 0.1 * baseMetrics.klDivergence(), what);
                }
                assertEquals(baseMetrics.neighbourhoodHit(), m.neighbourhoodHit(), 0.01, what);
                // the metrics are scale-free on their own: the embedding scaled likewise scores the same ranks
                Metrics.Report scaledLow = Metrics.evaluate(scaled, times(e.points(), scale), labels, 30, 2);
                assertEquals(m.trustworthiness(), scaledLow.trustworthiness(), 1e-3, what);
                assertEquals(m.neighbourhoodHit(), scaledLow.neighbourhoodHit(), 1e-3, what);
            }
        }
    }

    /** Three snapshots of the same points, drifting by noise. */
    protected static List<FloatMatrix> snapshots() {
        FloatMatrix base = TestData.blobs(3, 40, 5, 1);
        List<FloatMatrix> out = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            FloatMatrix noise = TestData.gaussian(120, 5, 10 + t);
            float[] v = base.data().clone();
            for (int k = 0; k < v.length; k++) {
                v[k] += 2 * noise.data()[k];
            }
            out.add(new FloatMatrix(120, 5, v));
        }
        return out;
    }

    private static double movement(List<Embedding> es) {
        double total = 0;
        for (int t = 0; t + 1 < es.size(); t++) {
            float[] a = es.get(t).points().data();
            float[] b = es.get(t + 1).points().data();
            for (int k = 0; k < a.length; k++) {
                total += (a[k] - b[k]) * (a[k] - b[k]);
            }
        }
        return total;
    }

    @Test
    void dynamicLambdaHoldsPointsTogether() {
        List<FloatMatrix> s = snapshots();
        List<Embedding> free = backend.embedDynamic(s, P, 0, Progress.NONE);
        List<Embedding> tied = backend.embedDynamic(s, P, 10, Progress.NONE);
        assertEquals(3, tied.size());
        for (Embedding e : tied) {
            assertTrue(TestData.allFinite(e.points()), "lambda 10 must not diverge");
        }
        double mFree = movement(free);
        double mTied = movement(tied);
        assertTrue(mTied < 0.5 * mFree, "movement with lambda 10: " + mTied + ", lambda 0: " + mFree);
        // lambda = 0 is independent t-SNE of each snapshot from the shared start (snapshot 0's PCA)
        Embedding alone = backend.embed(s.get(0), P, null, Progress.NONE);
        assertClose(alone.points(), free.get(0).points(), repeatTolerance(), "lambda 0 vs alone");
    }

    @Test
    void everyAlignmentReturnsOneEmbeddingPerSnapshot() {
        List<FloatMatrix> s = snapshots();
        for (Alignment a : Alignment.values()) {
            List<Embedding> es = SequenceProjector.project(s, a, P, 1, backend, Progress.NONE);
            assertEquals(3, es.size(), a.id());
            for (Embedding e : es) {
                assertEquals(120, e.points().rows(), a.id());
                assertTrue(TestData.allFinite(e.points()), a.id());
            }
        }
        List<Embedding> joint = SequenceProjector.project(s, Alignment.JOINT, P, 0, backend, Progress.NONE);
        Embedding all = backend.embed(FloatMatrix.vstack(s), P, null, Progress.NONE);
        for (int t = 0; t < 3; t++) {
            assertClose(all.points().rowRange(120 * t, 120 * (t + 1)), joint.get(t).points(), repeatTolerance(),
                    "joint snapshot " + t);
        }
        TsneParameters tinyStep = P.withEarlyExaggerationIter(0).withMaxIter(1).withLearningRate(1e-6);
        List<Embedding> chained = SequenceProjector.project(s, Alignment.CHAINED, tinyStep, 0, backend, Progress.NONE);
        // each step barely moves, so snapshot 2 is still where snapshot 0 started
        assertClose(chained.get(0).points(), chained.get(2).points(), 1e-3, "chained");
    }

    protected static FloatMatrix times(FloatMatrix m, double factor) {
        float[] v = new float[m.data().length];
        for (int e = 0; e < v.length; e++) {
            v[e] = (float) (m.data()[e] * factor);
        }
        return new FloatMatrix(m.rows(), m.cols(), v);
    }

    protected static double extent(FloatMatrix m) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : m.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    protected static double maxDifference(FloatMatrix a, FloatMatrix b) {
        double d = 0;
        for (int e = 0; e < a.data().length; e++) {
            d = Math.max(d, Math.abs(a.data()[e] - b.data()[e]));
        }
        return d;
    }

    /** Equal coordinates up to {@code relative} x the extent of {@code a} (0: bit for bit). */
    protected static void assertClose(FloatMatrix a, FloatMatrix b, double relative, String what) {
        assertEquals(a.rows(), b.rows(), what);
        assertEquals(a.cols(), b.cols(), what);
        if (relative == 0) {
            assertTrue(java.util.Arrays.equals(a.data(), b.data()), what + ": not bit for bit equal, max difference "
                    + maxDifference(a, b));
            return;
        }
        double d = maxDifference(a, b);
        assertTrue(d <= relative * extent(a), what + ": max difference " + d + " of extent " + extent(a));
    }
}
