package org.hiddenactivity.projection.cuda;

import org.hiddenactivity.core.HavException;

/**
 * A failure of the native CUDA engine: the {@link NativeStatus} it returned (so callers decide on the code, never on
 * the text), the raw number, and the engine's message. Exit code 3 (a runtime failure: Java checked the input).
 */
public final class CudaException extends HavException {
    private final NativeStatus status;
    private final int code;

    public CudaException(String subject, int code, String message) {
        this(subject, NativeStatus.of(code), code, message);
    }

    private CudaException(String subject, NativeStatus status, int code, String message) {
        super(subject, status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (native status " + code
                + "): " + message, status.fix(), EXIT_RUNTIME, null);
        this.status = status;
        this.code = code;
    }

    /** The status as this build knows it ({@link NativeStatus#UNKNOWN} for a code it does not). */
    public NativeStatus status() {
        return status;
    }

    /** The number the native call returned. */
    public int code() {
        return code;
    }
}
