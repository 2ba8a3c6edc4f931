package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.projection.cuda.CudaStages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stage of the CUDA engine against the CPU engine, stage by stage, on small inputs with ties, duplicate points,
 * n below 3 x perplexity and several snapshots. Without a GPU each stage runs as its serial host launch: the same
 * __host__ __device__ arithmetic (native/src/arith.cuh) the kernels call, built by g++ even where nvcc is absent. On a
 * GPU machine (-Dhav.gpu.tests=true) every test runs the kernels too, on the same inputs.
 * This class sits in package projection because the CPU engine's stages it compares with are package-private.
 */
class CudaKernelsOnHostTest {
    private static Workers workers;

    @BeforeAll
    static void library() {
        assumeTrue(CudaStages.built(), "the native stage library is not built here (no C++ compiler)");
    }

    /** Host launches always; the kernels too on a GPU machine. */
    static Stream<Boolean> launches() {
        return Boolean.getBoolean("hav.gpu.tests") ? Stream.of(false, true) : Stream.of(false);
    }

    private static Workers workers() {
        if (workers == null) {
            workers = new Workers(2);
        }
        return workers;
    }

    /** Blobs, exact copies of some rows, and points on an integer grid (many equal distances). */
    static FloatMatrix tricky(int n, int d, long seed) {
        FloatMatrix blobs = TestData.blobs(3, n / 3, d, seed);
        float[] v = Arrays.copyOf(blobs.data(), n * d);
        Random r = new Random(seed);
        int dup = n / 3;
        for (int i = 0; i < dup / 2; i++) {  // duplicates of earlier rows
            System.arraycopy(v, r.nextInt(dup) * d, v, (dup + i) * d, d);
        }
        for (int i = 3 * (n / 3) - n / 6; i < n; i++) {  // a grid: ties
            for (int c = 0; c < d; c++) {
                v[i * d + c] = 10 + r.nextInt(3);
            }
        }
        return new FloatMatrix(n, d, v);
    }

    private static double[] doubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static float[] floats(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    // ---- kNN

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void knnFindsTheCpuEnginesNeighbours(boolean onDevice) {
        for (int[] shape : new int[][] {{90, 7, 12}, {20, 5, 19}, {64, 3, 1}}) {
            int n = shape[0];
            int d = shape[1];
            int k = shape[2];
            FloatMatrix x = tricky(n, d, 11 + n);
            Neighbours cpu = Neighbours.of(x, k, workers());
            CudaStages.Knn cuda = CudaStages.knn(x.data(), n, d, k, onDevice);
            for (int i = 0; i < n; i++) {
                float[] mine = Arrays.copyOfRange(cuda.sqDistances(), i * k, (i + 1) * k);
                long distinct = Arrays.stream(cuda.index(), i * k, (i + 1) * k).distinct().count();
                assertEquals(k, distinct, "row " + i + ": neighbours repeat");
                for (int e = 0; e < k; e++) {
                    int j = cuda.index()[i * k + e];
                    assertNotEquals(i, j, "row " + i + " lists itself");
                    double exact = 0;
                    for (int c = 0; c < d; c++) {
                        double t = x.get(i, c) - x.get(j, c);
                        exact += t * t;
                    }
                    assertEquals(exact, mine[e], 1e-5 * Math.max(1, exact), "row " + i + ": distance to " + j);
                }
                Arrays.sort(mine);
                float[] theirs = Arrays.copyOfRange(cpu.sqDistances(), i * k, (i + 1) * k);
                Arrays.sort(theirs);
                for (int e = 0; e < k; e++) {
                    assertEquals(theirs[e], mine[e], 1e-5 * Math.max(1, theirs[e]),
                            "n " + n + ", row " + i + ", " + e + "-th nearest");
                }
            }
        }
    }

    // ---- P rows

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void pRowsFollowTheCpuRule(boolean onDevice) {
        int k = 24;
        FloatMatrix x = tricky(60, 5, 3);
        Neighbours nb = Neighbours.of(TsneInput.scaled(x), k, workers());
        int n = nb.n() + 3;
        float[] d = Arrays.copyOf(nb.sqDistances(), n * k);
        Random r = new Random(3);
        for (int e = 0; e < k; e++) {
            d[(n - 3) * k + e] = 5e4f + 10 * r.nextFloat();  // exp(-d) underflows without the row-minimum shift
            d[(n - 2) * k + e] = e < k / 2 ? 0 : 1;         // duplicates
            d[(n - 1) * k + e] = 1e-30f * e;                // nearly all equal
        }
        for (double perplexity : new double[] {8, 3.5, 1, 30}) {  // 30 > k: the search cannot converge
            float[] cuda = CudaStages.conditionalP(d, n, k, perplexity, onDevice);
            double[] row = new double[k];
            for (int i = 0; i < n; i++) {
                Affinities.conditionalRow(d, i * k, k, perplexity, row);
                for (int e = 0; e < k; e++) {
                    assertEquals((float) row[e], cuda[i * k + e], 1e-6 * Math.max(row[e], 1e-3),
                            "perplexity " + perplexity + ", row " + i + ", entry " + e);
                }
            }
        }
    }

    // ---- symmetrisation

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void symmetrisationIsTheCpuEnginesP(boolean onDevice) {
        for (int[] shape : new int[][] {{90, 12}, {20, 19}}) {  // the second: n below 3 x perplexity, k = n - 1
            int n = shape[0];
            int k = shape[1];
            FloatMatrix x = tricky(n, 6, 5 + n);
            Neighbours nb = Neighbours.of(TsneInput.scaled(x), k, workers());
            float[] cond = new float[n * k];
            double[] row = new double[k];
            for (int i = 0; i < n; i++) {
                Affinities.conditionalRow(nb.sqDistances(), i * k, k, k / 3.0, row);
                for (int e = 0; e < k; e++) {
                    cond[i * k + e] = (float) row[e];
                }
            }
            Affinities cpu = Affinities.symmetrise(n, k, nb.index(), cond);
            CudaStages.Csr cuda = CudaStages.symmetrize(nb.index(), cond, n, k, onDevice);
            assertEquals(0, cuda.rowStart()[0]);
            for (int i = 0; i < n; i++) {
                for (int e = cuda.rowStart()[i] + 1; e < cuda.rowStart()[i + 1]; e++) {
                    assertTrue(cuda.col()[e - 1] < cuda.col()[e], "row " + i + ": columns ascending and unique");
                }
            }
            double[] mine = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int e = cuda.rowStart()[i]; e < cuda.rowStart()[i + 1]; e++) {
                    mine[i * n + cuda.col()[e]] = cuda.val()[e];
                }
            }
            double[] theirs = cpu.dense();
            double plogp = 0;
            for (float p : cpu.val()) {
                plogp += p * Math.log(p);
            }
            for (int e = 0; e < n * n; e++) {
                assertEquals(theirs[e], mine[e], 1e-6 * theirs[e] + 1e-12, "P[" + e / n + "][" + e % n + "]");
            }
            assertEquals(plogp, cuda.plogp(), 1e-6 * Math.abs(plogp));
        }
    }

    // ---- tree build and summaries

    /** Points in a cluster, spread out, and exact duplicates (equal Morton keys). */
    static float[] layout(int n, long seed) {
        Random r = new Random(seed);
        float[] y = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double spread = i % 3 == 0 ? 0.01 : 5;
            y[2 * i] = (float) (spread * r.nextGaussian() + (i % 5));
            y[2 * i + 1] = (float) (spread * r.nextGaussian() - (i % 7));
        }
        for (int i = 0; i < n / 10; i++) {
            int from = r.nextInt(n);
            int to = r.nextInt(n);
            y[2 * to] = y[2 * from];
            y[2 * to + 1] = y[2 * from + 1];
        }
        return y;
    }

    /** The leaves (Morton positions) below a node of the radix tree. */
    private static void leaves(int[] child, int node, List<Integer> out) {
        for (int side = 0; side < 2; side++) {
            int c = child[2 * node + side];
            if (c < 0) {
                out.add(~c);
            } else {
                leaves(child, c, out);
            }
        }
    }

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void treeNodesSummariseTheirPoints(boolean onDevice) {
        for (int n : new int[] {2, 3, 57, 400}) {
            float[] y = layout(n, n);
            CudaStages.Tree t = CudaStages.tree(y, n, onDevice);
            int[] sortedOrder = t.order().clone();
            Arrays.sort(sortedOrder);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sortedOrder[i], "Morton order is a permutation");
            }
            double loX = Double.MAX_VALUE;
            double loY = Double.MAX_VALUE;
            double extent = 0;
            for (int i = 0; i < n; i++) {
                loX = Math.min(loX, y[2 * i]);
                loY = Math.min(loY, y[2 * i + 1]);
            }
            for (int i = 0; i < n; i++) {
                extent = Math.max(extent, Math.max(y[2 * i] - loX, y[2 * i + 1] - loY));
            }
            assertEquals(loX, t.box()[0]);
            assertEquals(loY, t.box()[1]);
            assertTrue(t.box()[2] >= extent && t.box()[2] <= extent * 1.001 + 1e-6, "box side " + t.box()[2]);
            List<Integer> all = new ArrayList<>();
            leaves(t.child(), 0, all);
            assertEquals(n, all.size(), "the root holds every point once");
            assertEquals(n, all.stream().distinct().count());
            for (int node = 0; node < n - 1; node++) {
                List<Integer> under = new ArrayList<>();
                leaves(t.child(), node, under);
                double sx = 0;
                double sy = 0;
                double minX = Double.MAX_VALUE;
                double minY = Double.MAX_VALUE;
                double maxX = -Double.MAX_VALUE;
                double maxY = -Double.MAX_VALUE;
                for (int pos : under) {
                    int p = t.order()[pos];
                    sx += y[2 * p];
                    sy += y[2 * p + 1];
                    minX = Math.min(minX, y[2 * p]);
                    maxX = Math.max(maxX, y[2 * p]);
                    minY = Math.min(minY, y[2 * p + 1]);
                    maxY = Math.max(maxY, y[2 * p + 1]);
                }
                float[] s = Arrays.copyOfRange(t.node(), 4 * node, 4 * node + 4);
                String where = "n " + n + ", node " + node;
                assertEquals(under.size(), s[2], where + ": mass");
                assertEquals(sx / under.size(), s[0], 1e-5 * (1 + Math.abs(sx / under.size())), where + ": com x");
                assertEquals(sy / under.size(), s[1], 1e-5 * (1 + Math.abs(sy / under.size())), where + ": com y");
                // the opening test treats the node as a cell of this side: its points must fit in it
                double side = Math.sqrt(s[3]);
                double cell = t.box()[2] * 1e-5;  // the quantisation of the Morton grid (1 / 65536 of the box)
                assertTrue(maxX - minX <= side + cell && maxY - minY <= side + cell,
                        where + ": points span " + (maxX - minX) + " x " + (maxY - minY) + ", cell side " + side);
            }
        }
    }

    // ---- forces (Barnes-Hut and exact) and the KL

    private static Affinities affinities(FloatMatrix x, double perplexity) {
        int k = Math.min(x.rows() - 1, (int) (3 * perplexity));
        return Affinities.of(Neighbours.of(TsneInput.scaled(x), k, workers()), perplexity, workers());
    }

    private static CudaStages.Csr csr(Affinities p) {
        double plogp = 0;
        for (float v : p.val()) {
            plogp += v > 0 ? v * Math.log(v) : 0;
        }
        return new CudaStages.Csr(p.n(), p.rowStart(), p.col(), p.val(), plogp);
    }

    private static double[] gradient(CudaStages.Forces f) {
        double[] g = new double[f.attraction().length];
        for (int e = 0; e < g.length; e++) {
            g[e] = 4 * (f.attraction()[e] - f.repulsion()[e] / f.z());
        }
        return g;
    }

    private static void assertGradient(double[] expected, double[] actual, double tolerance, String what) {
        double scale = maxAbs(expected);
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], actual[e], tolerance * scale, what + ", coordinate " + e);
        }
    }

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void forcesAreTheCpuEnginesGradient(boolean onDevice) {
        for (int n : new int[] {20, 150}) {  // 20: below 3 x perplexity
            FloatMatrix x = tricky(n, 6, 21 + n);
            Affinities p = affinities(x, 10);
            CudaStages.Csr csr = csr(p);
            float[] y = layout(n, 5 + n);  // duplicates included
            double[] yd = doubles(y);
            for (double exaggeration : new double[] {12, 1}) {
                double[] exact = new double[2 * n];
                double klExact = new ExactGradient(p, 2, workers()).compute(yd, exaggeration, true, exact);
                CudaStages.Forces all = CudaStages.forces(csr, y, (float) exaggeration, 0.5f, true, onDevice);
                assertGradient(exact, gradient(all), 1e-4, "exact repulsion, n " + n);
                assertEquals(klExact, all.kl(), 1e-4 * Math.abs(klExact), "exact KL, n " + n);
                // theta = 0 opens every node: the tree walk is then the exact sum
                CudaStages.Forces walked = CudaStages.forces(csr, y, (float) exaggeration, 0f, false, onDevice);
                assertGradient(exact, gradient(walked), 1e-4, "Barnes-Hut, theta 0, n " + n);
                assertEquals(klExact, walked.kl(), 1e-4 * Math.abs(klExact), "Barnes-Hut KL, theta 0, n " + n);
                // theta = 0.5: an approximation, close to the CPU engine's own Barnes-Hut
                double[] bh = new double[2 * n];
                double klBh = new BarnesHutGradient(p, 0.5, workers()).compute(yd, exaggeration, true, bh);
                CudaStages.Forces approx = CudaStages.forces(csr, y, (float) exaggeration, 0.5f, false, onDevice);
                assertGradient(bh, gradient(approx), 0.03, "Barnes-Hut, theta 0.5, n " + n);
                assertEquals(klBh, approx.kl(), 0.01 * Math.abs(klBh), "Barnes-Hut KL, theta 0.5, n " + n);
            }
        }
    }

    // ---- the update (gains, momentum) over several snapshots

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void updateIsTheCpuEnginesStep(boolean onDevice) {
        int n = 40;
        int snapshots = 3;
        int len = 2 * n;
        Random r = new Random(8);
        float[] y = new float[len * snapshots];
        float[] update = new float[len * snapshots];
        float[] gains = new float[len * snapshots];
        float[] attr = new float[len * snapshots];
        float[] rep = new float[len * snapshots];
        double[] z = {1234.5, 88.25, 0.75};
        for (int e = 0; e < y.length; e++) {
            y[e] = (float) r.nextGaussian();
            update[e] = (float) (0.1 * r.nextGaussian());  // both signs: both gain rules
            gains[e] = e % 7 == 0 ? 0.0105f : (float) (0.5 + r.nextDouble());  // some fall below min_gain
            attr[e] = (float) (0.01 * r.nextGaussian());
            rep[e] = (float) (z[e / len] * 0.01 * r.nextGaussian());
        }
        float lr = 200;
        float momentum = 0.8f;
        float minGain = 0.01f;
        double[][] expectY = new double[snapshots][];
        double[][] expectU = new double[snapshots][];
        double[][] expectG = new double[snapshots][];
        for (int s = 0; s < snapshots; s++) {
            double[] grad = new double[len];
            for (int e = 0; e < len; e++) {
                grad[e] = 4 * (attr[s * len + e] - rep[s * len + e] / z[s]);
            }
            expectY[s] = doubles(Arrays.copyOfRange(y, s * len, (s + 1) * len));
            expectU[s] = doubles(Arrays.copyOfRange(update, s * len, (s + 1) * len));
            expectG[s] = doubles(Arrays.copyOfRange(gains, s * len, (s + 1) * len));
            GradientDescent.step(expectY[s], grad, expectU[s], expectG[s], momentum, lr, minGain);
        }
        CudaStages.update(y, update, gains, attr, rep, z, n, lr, momentum, minGain, onDevice);
        for (int s = 0; s < snapshots; s++) {
            for (int e = 0; e < len; e++) {
                int at = s * len + e;
                String where = "snapshot " + s + ", coordinate " + e;
                assertEquals(expectG[s][e], gains[at], 1e-6 * expectG[s][e], where + ": gain");
                assertEquals(expectU[s][e], update[at], 1e-5 * (Math.abs(expectU[s][e]) + 1e-3), where + ": update");
                assertEquals(expectY[s][e], y[at], 1e-5 * (Math.abs(expectY[s][e]) + 1e-2), where + ": y");
            }
        }
    }

    // ---- the proximal step of dynamic t-SNE

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void proximalStepIsTheCpuEnginesSolve(boolean onDevice) {
        int n = 30;
        for (int snapshots : new int[] {2, 5}) {
            for (double c : new double[] {0.05, 3.0}) {
                Random r = new Random(snapshots);
                float[] y = new float[2 * n * snapshots];
                for (int e = 0; e < y.length; e++) {
                    y[e] = (float) (3 * r.nextGaussian());
                }
                List<double[]> ys = new ArrayList<>();
                for (int s = 0; s < snapshots; s++) {
                    ys.add(doubles(Arrays.copyOfRange(y, s * 2 * n, (s + 1) * 2 * n)));
                }
                GradientDescent.proximalCoupling(ys, c);
                CudaStages.proximal(y, n, snapshots, c, onDevice);
                for (int s = 0; s < snapshots; s++) {
                    for (int e = 0; e < 2 * n; e++) {
                        assertEquals(ys.get(s)[e], y[s * 2 * n + e], 1e-5 * (1 + Math.abs(ys.get(s)[e])),
                                snapshots + " snapshots, c " + c + ", snapshot " + s + ", coordinate " + e);
                    }
                }
            }
        }
    }

    // ---- the PCA start

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void pcaStartIsTheCpuEnginesStart(boolean onDevice) {
        assertEquals(Initialisation.OVERSAMPLE, CudaStages.PCA_OVERSAMPLE);
        assertEquals(Initialisation.POWER_ITERATIONS, CudaStages.PCA_ITERATIONS);
        assertEquals(Initialisation.SAMPLE_ROWS, CudaStages.PCA_SAMPLE_ROWS);
        // small d, k = d; a wide blob set; more rows than the sample (the axes from evenly spaced rows)
        for (int[] shape : new int[][] {{120, 4}, {300, 30}, {12500, 10}}) {
            int n = shape[0];
            int d = shape[1];
            long seed = 17 + n;
            float[] v = TestData.blobs(4, n / 4, d, seed).data().clone();
            for (int e = 0; e < v.length; e++) {
                v[e] += 3 + e % d;  // far from the origin: an uncentred product would find other axes
            }
            FloatMatrix x = new FloatMatrix(n, d, v);
            int k = Math.min(d, 2 + CudaStages.PCA_OVERSAMPLE);
            float[] mine = CudaStages.pca(x.data(), n, d, CudaStages.pcaDirections(d, k, seed), k, CudaStages.PCA_ITERATIONS,
                    CudaStages.PCA_SAMPLE_ROWS, onDevice);
            float[] theirs = Initialisation.pcaStart(x, 2, seed, 1).data();
            for (int e = 0; e < 2 * n; e++) {
                assertEquals(theirs[e], mine[e], 2e-3 * Initialisation.SCALE,
                        n + " x " + d + ": point " + e / 2 + ", axis " + e % 2);
            }
        }
        float[] constant = new float[50 * 3];
        Arrays.fill(constant, 2.5f);
        assertNull(CudaStages.pca(constant, 50, 3, CudaStages.pcaDirections(3, 3, 1), 3, 4, 10000, onDevice),
                "no variance: the caller falls back to a random start");
    }

    @ParameterizedTest(name = "on device: {0}")
    @MethodSource("launches")
    void stagesChainIntoTheCpuEnginesGradient(boolean onDevice) {
        // kNN -> P rows -> symmetrisation, each from the previous native stage, then the gradient: the engine's setup
        FloatMatrix x = TsneInput.scaled(TestData.blobs(3, 20, 5, 9));  // no ties: both searches pick the same
        int n = x.rows();
        int k = 15;
        CudaStages.Knn nb = CudaStages.knn(x.data(), n, x.cols(), k, onDevice);
        float[] cond = CudaStages.conditionalP(nb.sqDistances(), n, k, 5, onDevice);
        CudaStages.Csr p = CudaStages.symmetrize(nb.index(), cond, n, k, onDevice);
        Affinities cpu = Affinities.of(Neighbours.of(x, k, workers()), 5, workers());
        float[] y = floats(Initialisation.random(n, 2, 3));
        for (int e = 0; e < y.length; e++) {
            y[e] *= 1e4f;  // spread to O(1)
        }
        double[] expect = new double[2 * n];
        double kl = new ExactGradient(cpu, 2, workers()).compute(doubles(y), 1, true, expect);
        CudaStages.Forces f = CudaStages.forces(p, y, 1, 0.5f, true, onDevice);
        assertGradient(expect, gradient(f), 1e-4, "chained stages");
        assertEquals(kl, f.kl(), 1e-4 * Math.abs(kl));
    }
}
