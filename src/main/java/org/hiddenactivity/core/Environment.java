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

    /** JVM, OS, CPU and library versions; libraries that fail to load are reported with the reason. */
    public static Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("hav", havVersion());
        info.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        info.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        info.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        info.put("javacpp", versionOrReason(() -> org.bytedeco.javacpp.Loader.getVersion()));
        info.put("opencv", versionOrReason(() -> {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.opencv.global.opencv_core.class);
            return org.bytedeco.opencv.global.opencv_core.CV_VERSION;
        }));
        info.put("onnxruntime", versionOrReason(() -> ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion()));
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
