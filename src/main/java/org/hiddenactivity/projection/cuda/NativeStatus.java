package org.hiddenactivity.projection.cuda;

/**
 * The status codes of native/include/hav_tsne.h ({@code HAV_OK}, {@code HAV_ERR_*}), one constant each with the
 * same number; a code this build does not know (a newer library) is {@link #UNKNOWN}, and the number is kept by
 * {@link CudaException#code()}. A test reads the header and checks both lists agree.
 */
public enum NativeStatus {
    OK(0),
    /** A parameter or array size is invalid (Java checks every argument first, so this is a bug). */
    ARGUMENT(1),
    /** A CUDA call failed; the message names it and the CUDA error. */
    CUDA(2),
    /** Not enough GPU (or host) memory: estimated before allocating, or an allocation failed. */
    OUT_OF_MEMORY(3),
    /** The driver works but sees no CUDA device. */
    NO_DEVICE(4),
    /** No usable NVIDIA driver. */
    NO_DRIVER(5),
    /** Anything else inside the library (a bug). */
    INTERNAL(6),
    /** A code this build of the Java side does not know. */
    UNKNOWN(-1);

    private final int code;

    NativeStatus(int code) {
        this.code = code;
    }

    /** The number hav_tsne.h gives it (-1 for {@link #UNKNOWN}). */
    public int code() {
        return code;
    }

    /** The constant of a native return code, {@link #UNKNOWN} when there is none. */
    public static NativeStatus of(int code) {
        for (NativeStatus s : values()) {
            if (s.code == code && s != UNKNOWN) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /**
     * Whether the CPU backend can do the same work instead: the GPU lacks memory, or there is no device or driver.
     * A bad argument, a CUDA or internal error, or an unknown code is a bug to report, not hidden by a fallback.
     */
    public boolean cpuCanTakeOver() {
        return this == OUT_OF_MEMORY || this == NO_DEVICE || this == NO_DRIVER;
    }

    /** What the user can do about it (the fix of the {@link CudaException}). */
    String fix() {
        return switch (this) {
            case OUT_OF_MEMORY -> "use fewer points, or the CPU backend (--backend cpu)";
            case NO_DRIVER, NO_DEVICE -> "use the CPU backend (--backend cpu)";
            case CUDA -> "rerun with HAV_CUDA_SYNC=1 to locate the failing kernel, or use --backend cpu";
            default -> "please report this with the input's shape";
        };
    }
}
