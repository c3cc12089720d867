package io.captioner.service;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode every leg's audio ({@code decoder.workers}, or one per core), plus one per chunk
 * that a batch of the encoder can take: a leg's thread waits while its chunk is in a batch. Scheduled: a
 * leg's final held for redaction wakes its decoding up when the hold runs out.
 */
final class DecoderPool {
    private final ScheduledThreadPoolExecutor executor;

    DecoderPool(int workers, int maxBatch) {
        int threads = (workers > 0 ? workers : Runtime.getRuntime().availableProcessors()) + maxBatch;
        AtomicInteger threadNumber = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "decoder-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    /** Lets the queued work finish and stops; false if it did not within {@code timeout}. */
    boolean shutdown(Duration timeout) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
