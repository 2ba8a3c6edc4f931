package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

/** CPU-side pieces of sequences; what every backend does with a sequence is in {@link TsneBackendContract}. */
class SequenceTest {
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
    void alignmentsParseByTheirIds() {
        for (Alignment a : Alignment.values()) {
            assertEquals(a, Alignment.parse(a.id()));
        }
        assertEquals("joint", Alignment.JOINT.id());
        assertThrows(HavException.class, () -> Alignment.parse("sideways"));
    }
}
