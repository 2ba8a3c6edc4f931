package org.hiddenactivity.projection;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads running loops split into fixed chunks. Each chunk writes only its own slots,
 * and reductions are done by the caller in chunk order, so results do not depend on which thread ran which chunk
 * (determinism for any thread count). One instance per t-SNE run; {@link #close()} stops the threads.
 * <p>
 * Hand-written rather than an ExecutorService: a t-SNE iteration on a few thousand points runs several loops of well
 * under a millisecond each, and handing them to a pool's sleeping threads cost as much as the loop itself on the 2-core
 * development machine. Here idle helpers spin for {@link #SPIN_NANOS} before they park, so
 * a loop that follows another one starts at once. A loop started from inside a loop body runs inline on the calling
 * thread.
 */
final class Workers implements AutoCloseable {
    /** The body of a parallel loop over the index range [start, end) of chunk number {@code chunk}. */
    interface ChunkBody {
        void run(int chunk, int start, int end);
    }

    /** How long an idle helper waits for the next loop before it parks (one t-SNE iteration's gap is far shorter). */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] helpers;
    /** Helper i parked (true) or spinning; the caller unparks only parked helpers. */
    private final boolean[] parked;
    private final Object[] parkLocks;
    private volatile long generation;
    private volatile boolean closed;
    // the current loop, published before generation is incremented
    private ChunkBody body;
    private int n;
    private int chunkSize;
    private int chunkCount;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile RuntimeException failure;
    private volatile boolean inLoop;

    Workers(int threads) {
        this.threads = Math.max(1, threads);
        helpers = new Thread[this.threads - 1];
        parked = new boolean[helpers.length];
        parkLocks = new Object[helpers.length];
        for (int t = 0; t < helpers.length; t++) {
            final int id = t;
            parkLocks[t] = new Object();
            helpers[t] = new Thread(() -> helperLoop(id), "hav-tsne-" + (t + 1));
            helpers[t].setDaemon(true);
            helpers[t].start();
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
     * dynamically for load balance, the calling thread works too. Returns when all chunks are done; the first
     * exception of a chunk is rethrown then.
     */
    void forChunks(int n, int chunkSize, ChunkBody body) {
        int count = chunks(n, chunkSize);
        if (helpers.length == 0 || count <= 1 || inLoop || closed) {
            for (int c = 0; c < count; c++) {
                body.run(c, c * chunkSize, Math.min(n, (c + 1) * chunkSize));
            }
            return;
        }
        inLoop = true;
        this.body = body;
        this.n = n;
        this.chunkSize = chunkSize;
        this.chunkCount = count;
        failure = null;
        next.set(0);
        running.set(helpers.length);
        generation++; // publishes the fields above to the helpers
        for (int t = 0; t < helpers.length; t++) {
            synchronized (parkLocks[t]) {
                if (parked[t]) {
                    LockSupport.unpark(helpers[t]);
                }
            }
        }
        RuntimeException own = null;
        try {
            runChunks();
        } catch (RuntimeException e) {
            own = e;
            next.set(count);
        }
        while (running.get() > 0) {
            Thread.onSpinWait();
        }
        this.body = null;
        inLoop = false;
        RuntimeException failed = own != null ? own : failure;
        if (failed != null) {
            throw failed;
        }
    }

    private void runChunks() {
        ChunkBody b = body;
        for (int c = next.getAndIncrement(); c < chunkCount; c = next.getAndIncrement()) {
            b.run(c, c * chunkSize, Math.min(n, (c + 1) * chunkSize));
        }
    }

    private void helperLoop(int id) {
        long seen = 0;
        while (true) {
            long spinStart = System.nanoTime();
            while (generation == seen && !closed) {
                if (System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    synchronized (parkLocks[id]) {
                        parked[id] = true;
                    }
                    if (generation == seen && !closed) {
                        LockSupport.park(this);
                    }
                    synchronized (parkLocks[id]) {
                        parked[id] = false;
                    }
                    spinStart = System.nanoTime();
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runChunks();
            } catch (RuntimeException e) {
                failure = e;
                // stop the other threads taking further chunks
                next.set(chunkCount);
            } catch (Error e) {
                failure = new IllegalStateException("a worker thread failed", e);
                next.set(chunkCount);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }
}
