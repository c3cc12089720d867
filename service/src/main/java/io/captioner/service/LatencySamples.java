package io.captioner.service;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** Latencies kept exactly, for the percentiles of {@code captioner bench}. Thread-safe. */
final class LatencySamples {
    enum Kind {
        /** {@code captioner_chunk_latency_seconds}: how far behind its audio a leg's captions are */
        CHUNK,
        /** {@code captioner_partial_latency_seconds} */
        PARTIAL,
        /** {@code captioner_final_latency_seconds} */
        FINAL,
        /** from the start of an utterance's first word (in the audio) to its first partial caption */
        FIRST_PARTIAL
    }

    private final Map<Kind, double[]> values = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);

    synchronized void add(Kind kind, double seconds) {
        double[] v = values.computeIfAbsent(kind, k -> new double[64]);
        int n = counts.getOrDefault(kind, 0);
        if (n == v.length) {
            v = Arrays.copyOf(v, 2 * n);
            values.put(kind, v);
        }
        v[n] = seconds;
        counts.put(kind, n + 1);
    }

    synchronized int count(Kind kind) {
        return counts.getOrDefault(kind, 0);
    }

    /** The {@code q} quantile (nearest rank) in milliseconds, or NaN without samples. */
    synchronized double percentileMs(Kind kind, double q) {
        int n = count(kind);
        if (n == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values.get(kind), n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * n);
        return 1000 * sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }
}
