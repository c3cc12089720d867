package io.captioner.stream.kafka;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Fixed-bucket histogram of latencies in milliseconds (Prometheus style: cumulative buckets, sum, count). */
public final class LatencyHistogram {
    /** Upper bounds (inclusive) of the buckets, in ms; a last, implicit bucket is +Inf. */
    public static final long[] BOUNDS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MS.length + 1);
    private final LongAdder sumMicros = new LongAdder();

    public void record(long nanos) {
        double ms = nanos / 1e6;
        int i = 0;
        while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumMicros.add(nanos / 1_000);
    }

    public Snapshot snapshot() {
        long[] cumulative = new long[counts.length()];
        long running = 0;
        for (int i = 0; i < cumulative.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return new Snapshot(BOUNDS_MS.clone(), cumulative, running, sumMicros.sum() / 1000.0);
    }

    /**
     * @param boundsMs         bucket upper bounds in ms
     * @param cumulativeCounts counts of observations <= each bound; the last entry (index boundsMs.length) is +Inf
     * @param count            number of observations
     * @param sumMs            sum of the observations in ms
     */
    public record Snapshot(long[] boundsMs, long[] cumulativeCounts, long count, double sumMs) {
        /** An upper bound of the q-quantile (the bound of the first bucket reaching it); +Inf as Long.MAX_VALUE. */
        public long quantileUpperBoundMs(double q) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * count);
            for (int i = 0; i < boundsMs.length; i++) {
                if (cumulativeCounts[i] >= rank) {
                    return boundsMs[i];
                }
            }
            return Long.MAX_VALUE;
        }

        public double meanMs() {
            return count == 0 ? 0 : sumMs / count;
        }

        @Override
        public String toString() {
            return String.format(
                    "latency[count=%d, mean=%.1f ms, p50<=%d ms, p99<=%d ms]",
                    count, meanMs(), quantileUpperBoundMs(0.5), quantileUpperBoundMs(0.99));
        }
    }
}
