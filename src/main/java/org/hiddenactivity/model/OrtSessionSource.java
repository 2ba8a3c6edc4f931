package org.hiddenactivity.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/**
 * Where an {@link ActivationExtractor} gets its onnxruntime session: a new one per extraction (the default), or one
 * shared by many extractions of the same model bytes (a Spark executor keeps one per model for all its tasks).
 */
@FunctionalInterface
public interface OrtSessionSource {
    /** A new session per extraction, closed with its lease. */
    OrtSessionSource PER_EXTRACTION = (modelBytes, file) -> {
        OrtSession session = OrtSessions.create(modelBytes, file);
        return new Lease() {
            @Override
            public OrtSession session() {
                return session;
            }

            @Override
            public void close() {
                try {
                    session.close();
                } catch (OrtException e) {
                    throw new IllegalStateException("onnxruntime cannot close the session of " + file, e);
                }
            }
        };
    };

    /** A session for {@code modelBytes} (the graph as the extractor runs it), usable until the lease is closed. */
    Lease open(byte[] modelBytes, Path file);

    /** One extraction's use of a session; onnxruntime sessions may run calls from several threads at once. */
    interface Lease extends AutoCloseable {
        OrtSession session();

        @Override
        void close();
    }
}
