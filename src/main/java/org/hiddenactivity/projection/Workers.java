package org.hiddenactivity.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads running loops split into fixed chunks. Each chunk writes only its own slots,
 * and reductions are done by the caller in chunk order, so results do not depend on which thread ran which chunk
 * (determinism for any thread count). One instance per t-SNE run; {@link #close()} stops the threads.
 */
final class Workers implements AutoCloseable {
    /** The body of a parallel loop over the index range [start, end) of chunk number {@code chunk}. */
    interface ChunkBody {
        void run(int chunk, int start, int end);
    }

    private final int threads;
    private final ExecutorService pool;

    Workers(int threads) {
        this.threads = Math.max(1, threads);
        if (this.threads == 1) {
            pool = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "hav-tsne-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(this.threads - 1, factory);
        }
    }

    /** All cores when {@code requested <= 0}. */
    static int resolve(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }

    int threads() {
        return threads;
    }

    /** Number of chunks of size {@code chunkSize} covering n items. */
    static int chunks(int n, int chunkSize) {
        return (n + chunkSize - 1) / chunkSize;
    }

    /**
     * Runs {@code body} over [0, n) in chunks of {@code chunkSize} (the last may be shorter); chunks are handed out
     * dynamically for load balance, the calling thread works too. Returns when all chunks are done.
     */
    void forChunks(int n, int chunkSize, ChunkBody body) {
        int chunkCount = chunks(n, chunkSize);
        if (pool == null || chunkCount <= 1) {
            for (int c = 0; c < chunkCount; c++) {
                body.run(c, c * chunkSize, Math.min(n, (c + 1) * chunkSize));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunkCount; c = next.getAndIncrement()) {
                body.run(c, c * chunkSize, Math.min(n, (c + 1) * chunkSize));
            }
        };
        int helpers = Math.min(threads - 1, chunkCount - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            futures.add(pool.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
