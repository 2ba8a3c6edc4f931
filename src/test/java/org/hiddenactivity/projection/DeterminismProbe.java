package org.hiddenactivity.projection;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.neurons.NeuronDissimilarity;

/**
 * Runs every projection method (and the neuron maps' path: dissimilarity by BLAS, then t-SNE) on fixed inputs at
 * 3, 1, 2 and 3 threads and prints one line per call:
 * {@code method threads sha256-of-the-float-bytes}. Run in a fresh JVM by {@link ProjectionDeterminismTest}, so that
 * the first call is the JVM's first (cold classes, interpreted code, no OpenBLAS state).
 */
public final class DeterminismProbe {
    static final int[] THREADS = {3, 1, 2, 3};

    private DeterminismProbe() {}

    public static void main(String[] args) throws Exception {
        for (Map.Entry<String, String> e : run().entrySet()) {
            System.out.println(e.getKey() + " " + e.getValue());
        }
    }

    /** "method#call@threads" to the hash of that call's points, calls in order. */
    static Map<String, String> run() throws Exception {
        FloatMatrix x = TestData.blobs(4, 60, 12, 5);
        double[] distances = distances(TestData.gaussian(150, 20, 9));
        FloatMatrix neuronActivations = relu(TestData.gaussian(300, 200, 13));
        TsneParameters tsne = TsneParameters.builder().maxIter(300).build();
        UmapParameters umap = UmapParameters.builder().nEpochs(200).build();
        // the metrics: large enough that OpenBLAS would split the data-space SGEMM over its threads
        FloatMatrix metricHigh = TestData.blobs(5, 300, 64, 21);
        int[] metricLabels = TestData.blobLabels(5, 300);
        FloatMatrix metricLow = firstTwoColumns(TestData.gaussian(1500, 2, 22));
        Map<String, String> out = new LinkedHashMap<>();
        for (int call = 0; call < THREADS.length; call++) {
            int t = THREADS[call];
            String tag = "#" + call + "@" + t;
            // first: the neuron map's path, 1 - |r| by BLAS then t-SNE, before anything else touches OpenBLAS
            NeuronDissimilarity nd = NeuronDissimilarity.of(neuronActivations);
            out.put("neurons" + tag, hash(new CpuTsne(t).embedPrecomputed(nd.distances(), nd.live().length, tsne,
                    Progress.NONE).points()));
            try (Projection p = Projection.create(Projection.Method.TSNE, tsne.withThreads(t), umap, "cpu")) {
                out.put("tsne" + tag, hash(p.fit(x, null, Progress.NONE).points()));
            }
            out.put("tsne-precomputed" + tag,
                    hash(new CpuTsne(t).embedPrecomputed(distances, 150, tsne, Progress.NONE).points()));
            try (Projection p = Projection.create(Projection.Method.UMAP, tsne, umap.toBuilder().threads(t).build(),
                    "cpu")) {
                out.put("umap" + tag, hash(p.fit(x, null, Progress.NONE).points()));
            }
            try (Projection p = Projection.create(Projection.Method.PCA, tsne.withThreads(t), umap, "cpu")) {
                out.put("pca" + tag, hash(p.fit(x, null, Progress.NONE).points()));
            }
            Metrics.Report r = Metrics.evaluate(metricHigh, metricLow, metricLabels, 30, t);
            out.put("metrics" + tag, hash(r.klDivergence(), r.trustworthiness(), r.knnPreservation(),
                    r.neighbourhoodHit()));
            out.put("metrics-exact" + tag, hash(Metrics.trustworthiness(metricHigh, metricLow, 12, t),
                    Metrics.knnPreservation(metricHigh, metricLow, 12, t)));
        }
        return out;
    }

    private static FloatMatrix relu(FloatMatrix m) {
        float[] v = m.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, v[i] + 0.5f * (float) Math.sin(i % m.cols()));
        }
        return new FloatMatrix(m.rows(), m.cols(), v);
    }

    private static double[] distances(FloatMatrix m) {
        int n = m.rows();
        int d = m.cols();
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double t = m.data()[i * d + c] - m.data()[j * d + c];
                    s += t * t;
                }
                out[i * n + j] = Math.sqrt(s);
                out[j * n + i] = out[i * n + j];
            }
        }
        return out;
    }

    private static FloatMatrix firstTwoColumns(FloatMatrix m) {
        return new FloatMatrix(m.rows(), 2, java.util.Arrays.copyOf(m.data(), m.rows() * 2));
    }

    static String hash(double... values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        b.asDoubleBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    static String hash(FloatMatrix m) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * m.data().length);
        b.asFloatBuffer().put(m.data());
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }
}
