package org.hiddenactivity.spark;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hiddenactivity.model.OrtSessionSource;

/**
 * One onnxruntime session per model and executor JVM, shared by every task of the executor (onnxruntime runs calls
 * from several threads on one session), keyed by the SHA-256 of the model bytes; idle sessions beyond a few are
 * closed, and the idle ones left are closed when the JVM shuts down.
 */
final class ExecutorSessions implements OrtSessionSource {
    /** The executor's sessions. */
    static final ExecutorSessions JVM = new ExecutorSessions();
    /** Idle sessions kept open (each holds a model's weights). */
    static final int MAX_IDLE = 4;

    private final Map<String, Entry> sessions = new HashMap<>();
    private final Map<String, Integer> opened = new HashMap<>();
    private long clock;

    private ExecutorSessions() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeIdle, "hav-close-onnxruntime-sessions"));
    }

    /** The key of model bytes: their SHA-256. */
    static String key(byte[] modelBytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(modelBytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized Lease open(byte[] modelBytes, Path file) {
        String key = key(modelBytes);
        Entry e = sessions.get(key);
        if (e == null) {
            e = new Entry(PER_EXTRACTION.open(modelBytes, file));
            sessions.put(key, e);
            opened.merge(key, 1, Integer::sum);
        }
        e.users++;
        e.lastUsed = ++clock;
        Entry used = e;
        return new Lease() {
            private boolean closed;

            @Override
            public ai.onnxruntime.OrtSession session() {
                return used.lease.session();
            }

            @Override
            public void close() {
                synchronized (ExecutorSessions.this) {
                    if (!closed) {
                        closed = true;
                        used.users--;
                        evict();
                    }
                }
            }
        };
    }

    /** How many sessions this JVM has opened for the model bytes of {@code key} (1 while it stays cached). */
    synchronized int openedFor(String key) {
        return opened.getOrDefault(key, 0);
    }

    /** Closes the least recently used idle sessions beyond {@link #MAX_IDLE}. */
    private void evict() {
        while (sessions.size() > MAX_IDLE) {
            Map.Entry<String, Entry> oldest = null;
            for (Map.Entry<String, Entry> x : sessions.entrySet()) {
                if (x.getValue().users == 0 && (oldest == null || x.getValue().lastUsed < oldest.getValue().lastUsed)) {
                    oldest = x;
                }
            }
            if (oldest == null) {
                return;
            }
            sessions.remove(oldest.getKey());
            oldest.getValue().lease.close();
        }
    }

    /** At shutdown: a session still running a task is left to the operating system, not closed under it. */
    private synchronized void closeIdle() {
        sessions.values().removeIf(e -> {
            if (e.users == 0) {
                e.lease.close();
                return true;
            }
            return false;
        });
    }

    private static final class Entry {
        final Lease lease;
        int users;
        long lastUsed;

        Entry(Lease lease) {
            this.lease = lease;
        }
    }
}
