package org.hiddenactivity.model;

import org.hiddenactivity.core.Warnings;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hiddenactivity.core.HavException;

/**
 * Creates onnxruntime sessions from model bytes. With {@code -Dhav.ort.cuda=true} or {@code HAV_ORT_CUDA=1} it
 * asks for the CUDA execution provider (needs the {@code cuda-inference} Maven profile) and falls back to the CPU,
 * with one message, when that fails.
 */
final class OrtSessions {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private OrtSessions() {}

    /**
     * The environment, its own log silenced below errors: onnxruntime's log lines would carry node and tensor names
     * from the file to the terminal unescaped; its errors reach the user through hav's messages, which escape them.
     */
    static OrtEnvironment env() {
        org.hiddenactivity.core.OnnxruntimeGuard.check();  // a crash of the JVM becomes an error with its fix
        return OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    }

    static boolean cudaRequested() {
        String env = System.getenv("HAV_ORT_CUDA");
        return Boolean.getBoolean("hav.ort.cuda") || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    /** A session for {@code modelBytes}; {@code file} names the model in errors. */
    static OrtSession create(byte[] modelBytes, Path file) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (cudaRequested()) {
                try {
                    options.addCUDA(0);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    if (WARNED.compareAndSet(false, true)) {
                        Warnings.notice("onnxruntime CUDA provider unavailable (" + e.getMessage()
                                + "); running the models on the CPU");
                    }
                }
            }
            OrtEnvironment env = env();
            return env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new HavException(file.toString(), "onnxruntime cannot load the model (" + e.getMessage() + ")",
                    "check that it is a valid ONNX model of an opset onnxruntime supports");
        }
    }
}
