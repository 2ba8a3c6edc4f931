package org.hiddenactivity.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this process runs on: JVM, OS, CPU, library versions. Recorded in every output's provenance
 * because floating-point results differ by platform and library version.
 */
public final class Environment {
    private Environment() {}

    /** Project version from the jar manifest ("dev" when run from classes). */
    public static String havVersion() {
        String v = Environment.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * What a result depends on besides its inputs, typed so that provenance reads back whole; library versions are
     * "unavailable (reason)" when a library does not load.
     */
    public record Info(String hav, String java, String os, int cpuCores, long maxHeapMib, String javacpp,
                       String opencv, String onnxruntime) {}

    private static volatile Info cached;

    /** This process's {@link Info} (probed once: loading the libraries takes a moment). */
    public static Info info() {
        Info i = cached;
        if (i == null) {
            i = new Info(havVersion(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    versionOrReason(() -> org.bytedeco.javacpp.Loader.getVersion()),
                    versionOrReason(() -> {
                        org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_core.class);
                        return org.bytedeco.opencv.global.opencv_core.CV_VERSION;
                    }),
                    versionOrReason(() -> {
                        OnnxruntimeGuard.check();
                        return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
                    }));
            cached = i;
        }
        return i;
    }

    /** JVM, OS, CPU and library versions ({@link #info()} as a map, for {@code hav info}). */
    public static Map<String, Object> describe() {
        Info i = info();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("hav", i.hav());
        info.put("java", i.java());
        info.put("os", i.os());
        info.put("cpu_cores", i.cpuCores());
        info.put("max_heap_mib", i.maxHeapMib());
        info.put("javacpp", i.javacpp());
        info.put("opencv", i.opencv());
        info.put("onnxruntime", i.onnxruntime());
        return info;
    }

    private interface VersionProbe {
        String get() throws Throwable;
    }

    private static String versionOrReason(VersionProbe probe) {
        try {
            return probe.get();
        } catch (Throwable t) {
            return "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
        }
    }
}
