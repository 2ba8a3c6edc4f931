package org.hiddenactivity.projection.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

/** The Java status enum and native/include/hav_tsne.h name the same codes; unknown codes survive as numbers. */
class NativeStatusTest {
    @Test
    void enumAndHeaderAgree() throws IOException {
        String header = Files.readString(Path.of("native/include/hav_tsne.h"));
        Matcher m = Pattern.compile("#define (HAV_(?:OK|ERR_[A-Z_]+)) (\\d+)").matcher(header);
        Map<Integer, String> codes = new HashMap<>();
        while (m.find()) {
            codes.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        assertEquals(NativeStatus.values().length - 1, codes.size(), "one constant per code (plus UNKNOWN): " + codes);
        for (var e : codes.entrySet()) {
            NativeStatus s = NativeStatus.of(e.getKey());
            assertTrue(s != NativeStatus.UNKNOWN, e.getValue() + " has no Java constant");
            assertEquals(e.getKey(), s.code());
            String name = e.getValue().replace("HAV_ERR_", "").replace("HAV_", "").replace("MEMORY", "OUT_OF_MEMORY");
            assertEquals(name, s.name(), "the constant of " + e.getValue());
        }
    }

    @Test
    void unknownCodesAreKeptAndTheFallbackIsDecidedOnTheCode() {
        assertEquals(NativeStatus.UNKNOWN, NativeStatus.of(99));
        assertEquals(NativeStatus.UNKNOWN, NativeStatus.of(-1));
        CudaException e = new CudaException("CUDA t-SNE", 99, "something new");
        assertEquals(NativeStatus.UNKNOWN, e.status());
        assertEquals(99, e.code());
        assertEquals(HavException.EXIT_RUNTIME, e.exitCode());
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("something new"), e.getMessage());
        assertTrue(new CudaException("x", 3, "no room").status().cpuCanTakeOver());
        assertTrue(NativeStatus.NO_DEVICE.cpuCanTakeOver() && NativeStatus.NO_DRIVER.cpuCanTakeOver());
        for (NativeStatus s : new NativeStatus[] {NativeStatus.OK, NativeStatus.ARGUMENT, NativeStatus.CUDA,
                NativeStatus.INTERNAL, NativeStatus.UNKNOWN}) {
            assertFalse(s.cpuCanTakeOver(), s.name());
        }
    }
}
