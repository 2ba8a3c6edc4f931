package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scikit-learn semantics that {@link Affinities} and {@link Metrics} claim, checked against scikit-learn 1.2.1's
 * own outputs on small fixed inputs (src/test/resources/golden/sklearn_tsne.json), recorded once by
 * <pre>
 * /usr/bin/python3 benchmarks/golden/sklearn_golden.py src/test/resources/golden/sklearn_tsne.json
 * </pre>
 * (Debian's python3-sklearn): its kNN, the conditional P rows of {@code _binary_search_perplexity}, the joint P of
 * {@code _joint_probabilities_nn}, the exact KL ({@code _kl_divergence}) of a fixed embedding and its
 * {@code trustworthiness}. Tolerances are relative, about 1e-6 (the engine holds P in float32, scikit-learn in
 * float64: entries below float's range, around 1e-50 here, are 0 in the engine).
 */
class SklearnGoldenTest {
    private static final double RELATIVE = 2e-6;

    static List<JsonNode> cases() throws IOException {
        try (InputStream in = SklearnGoldenTest.class.getResourceAsStream("/golden/sklearn_tsne.json")) {
            JsonNode doc = new ObjectMapper().readTree(in);
            assertEquals("1.2.1", doc.get("sklearn").asText());
            List<JsonNode> out = new ArrayList<>();
            doc.get("cases").forEach(out::add);
            return out;
        }
    }

    private static float[] floats(JsonNode array) {
        List<Float> v = new ArrayList<>();
        collect(array, v);
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add((float) node.asDouble());
        }
    }

    private static FloatMatrix data(JsonNode c) {
        return new FloatMatrix(c.get("n").asInt(), c.get("d").asInt(), floats(c.get("x")));
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.abs(expected) + 1e-12, what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void neighboursAreScikitLearns(JsonNode c) {
        int n = c.get("n").asInt();
        int k = c.get("k").asInt();
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(data(c), k, w);
            int[] expected = new int[n * k];
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < k; e++) {
                    expected[i * k + e] = c.get("knn_order_by_distance").get(i).get(e).asInt();
                }
            }
            assertArrayEquals(expected, nb.index(), c.get("name").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conditionalRowsAreBinarySearchPerplexitys(JsonNode c) {
        int n = c.get("n").asInt();
        int k = c.get("k").asInt();
        double perplexity = c.get("perplexity").asDouble();
        float[] sqdist = floats(c.get("knn_sqdist"));
        float[] expected = floats(c.get("conditional_p"));
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            Affinities.conditionalRow(sqdist, i * k, k, perplexity, row);
            for (int e = 0; e < k; e++) {
                assertRelative(expected[i * k + e], row[e], RELATIVE, c.get("name").asText() + " row " + i + "/" + e);
            }
        }
    }

    /** Our whole P path (rescaling, kNN, search, symmetrisation) against _joint_probabilities_nn of the raw input. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jointPIsJointProbabilitiesNn(JsonNode c) {
        int n = c.get("n").asInt();
        double[] expected = new double[n * n];
        JsonNode p = c.get("joint_p");
        for (int e = 0; e < p.get("val").size(); e++) {
            expected[p.get("row").get(e).asInt() * n + p.get("col").get(e).asInt()] = p.get("val").get(e).asDouble();
        }
        double[] actual;
        try (Workers w = new Workers(2)) {
            actual = CpuTsne.affinities(TsneInput.scaled(data(c)), c.get("perplexity").asDouble(), c.get("k").asInt(),
                    w).dense();
        }
        int stored = 0;
        for (int e = 0; e < n * n; e++) {
            String what = c.get("name").asText() + " entry " + e + ": " + expected[e] + " vs " + actual[e];
            if (expected[e] < Float.MIN_NORMAL) {
                // scikit-learn holds P in float64; the engine in float32, where such values are 0 or subnormal
                assertTrue(actual[e] <= Float.MIN_NORMAL, what);
            } else {
                assertRelative(expected[e], actual[e], RELATIVE, what);
                stored++;
            }
        }
        assertTrue(stored > n, "a real P: " + stored + " entries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void klAndTrustworthinessAreScikitLearns(JsonNode c) {
        FloatMatrix x = data(c);
        FloatMatrix y = new FloatMatrix(c.get("n").asInt(), 2, floats(c.get("embedding")));
        double kl = Metrics.klDivergence(x, y, c.get("perplexity").asDouble(), 2);
        assertRelative(c.get("kl").asDouble(), kl, RELATIVE, c.get("name").asText() + " KL");
        c.get("trustworthiness").fields().forEachRemaining(t -> assertEquals(t.getValue().asDouble(),
                Metrics.trustworthiness(x, y, Integer.parseInt(t.getKey()), 2), 1e-12,
                c.get("name").asText() + " trustworthiness k = " + t.getKey()));
    }
}
