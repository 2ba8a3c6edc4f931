package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.Progress;
import org.junit.jupiter.api.Test;

class SequenceTest {
    private static final TsneParameters P = TsneParameters.defaults().withMaxIter(300).withThreads(2);

    /** Three snapshots of the same points, drifting by noise. */
    private static List<FloatMatrix> snapshots() {
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
    void largeLambdaMovesPointsLessThanZeroLambda() {
        List<FloatMatrix> s = snapshots();
        CpuTsne tsne = new CpuTsne(2);
        List<Embedding> free = tsne.embedDynamic(s, P, 0, Progress.NONE);
        List<Embedding> tied = tsne.embedDynamic(s, P, 10, Progress.NONE);
        assertEquals(3, tied.size());
        double mFree = movement(free);
        double mTied = movement(tied);
        assertTrue(mTied < 0.5 * mFree, "movement with lambda 10: " + mTied + ", lambda 0: " + mFree);
        // lambda = 0 is independent t-SNE of each snapshot from the shared start (snapshot 0's PCA)
        Embedding alone = tsne.embed(s.get(0), P, null, Progress.NONE);
        assertArrayEquals(alone.points().data(), free.get(0).points().data());
    }

    @Test
    void proximalCouplingSolvesTheTridiagonalSystem() {
        double c = 2.5;
        List<double[]> ys = new ArrayList<>();
        double[][] tilde = {{1, -2}, {4, 0.5}, {-3, 2}, {0.25, 7}};
        for (double[] v : tilde) {
            ys.add(v.clone());
        }
        GradientDescent.proximalCoupling(ys, c);
        for (int s = 0; s < 4; s++) {
            for (int e = 0; e < 2; e++) {
                double lhs = ys.get(s)[e];
                if (s > 0) {
                    lhs += c * (ys.get(s)[e] - ys.get(s - 1)[e]);
                }
                if (s < 3) {
                    lhs += c * (ys.get(s)[e] - ys.get(s + 1)[e]);
                }
                assertEquals(tilde[s][e], lhs, 1e-12);
            }
        }
    }

    @Test
    void everyAlignmentReturnsOneEmbeddingPerSnapshot() {
        List<FloatMatrix> s = snapshots();
        CpuTsne tsne = new CpuTsne(2);
        for (Alignment a : Alignment.values()) {
            List<Embedding> es = SequenceProjector.project(s, a, P, 1, tsne, Progress.NONE);
            assertEquals(3, es.size(), a.id());
            for (Embedding e : es) {
                assertEquals(120, e.points().rows());
                assertTrue(TestData.allFinite(e.points()));
            }
            assertEquals(a, Alignment.parse(a.id()));
        }
        assertEquals("joint", Alignment.JOINT.id());
        assertThrows(HavException.class, () -> Alignment.parse("sideways"));
    }

    @Test
    void jointSplitsTheStackedRunBackInOrder() {
        List<FloatMatrix> s = snapshots();
        CpuTsne tsne = new CpuTsne(2);
        List<Embedding> es = SequenceProjector.project(s, Alignment.JOINT, P, 0, tsne, Progress.NONE);
        Embedding all = tsne.embed(FloatMatrix.vstack(s), P, null, Progress.NONE);
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(all.points().rowRange(120 * t, 120 * (t + 1)).data(), es.get(t).points().data());
        }
    }

    @Test
    void chainedStartsFromThePreviousEmbedding() {
        List<FloatMatrix> s = snapshots();
        TsneParameters oneSmallStep = P.withMaxIter(1).withEarlyExaggerationIter(0).withLearningRate(1e-6);
        List<Embedding> es = SequenceProjector.project(s, Alignment.CHAINED, oneSmallStep, 0, new CpuTsne(1),
                Progress.NONE);
        // each step barely moves, so snapshot 2 is still where snapshot 0 started
        assertArrayEquals(es.get(0).points().data(), es.get(2).points().data(), 1e-5f);
    }
}
