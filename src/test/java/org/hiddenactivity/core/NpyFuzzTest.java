package org.hiddenactivity.core;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the .npy reader (header parser, dtypes, byte orders, Fortran order, sizes). In the
 * normal test run (regression mode) it replays the committed inputs in
 * src/test/resources/org/hiddenactivity/core/NpyFuzzTestInputs/npy/; JAZZER_FUZZ=1 fuzzes (docs/fuzzing.md).
 */
class NpyFuzzTest {
    private static final String NAME = "fuzz.npy";

    @FuzzTest(maxDuration = "30s")
    void npy(byte[] input) throws Exception {
        Fuzz.expectOnlyHavException(NAME, () -> {
            try (Npy.Reader r = Npy.Reader.of(input, NAME)) {
                Npy.Header h = r.header();
                if (h.rank() == 1) {
                    Npy.labels(r);
                } else if (h.rank() == 2) {
                    Npy.matrix(r);
                } else {
                    r.readAllFloats();
                }
                if (r.remaining() != 0) {
                    throw new AssertionError(r.remaining() + " elements left unread");
                }
            }
        });
    }
}
