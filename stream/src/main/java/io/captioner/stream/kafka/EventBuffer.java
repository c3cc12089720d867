package io.captioner.stream.kafka;

import io.captioner.stream.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The publisher's bounded buffer: events accepted and not yet acknowledged, either queued (in acceptance
 * order, droppable) or in flight (handed to the Kafka client). Not thread-safe: the publisher guards it.
 */
final class EventBuffer {
    /** One accepted event; {@code order} is its position in acceptance order. */
    record Entry(long order, StreamEvent event, String topic, String json, int bytes, long acceptedNanos) {}

    private final int maxEvents;
    private final long maxBytes;
    private final NavigableMap<Long, Entry> queued = new TreeMap<>();
    private final TreeSet<Long> queuedPartials = new TreeSet<>();
    private int inFlight;
    private long bytes;

    EventBuffer(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    boolean fitsEver(int eventBytes) {
        return eventBytes <= maxBytes;
    }

    boolean hasRoomFor(int eventBytes) {
        return size() < maxEvents && bytes + eventBytes <= maxBytes;
    }

    void add(Entry entry) {
        queued.put(entry.order(), entry);
        if (entry.event().droppable()) {
            queuedPartials.add(entry.order());
        }
        bytes += entry.bytes();
    }

    /** Removes the oldest queued partial caption to make room; null if none is queued. */
    Entry dropOldestPartial() {
        Long order = queuedPartials.pollFirst();
        if (order == null) {
            return null;
        }
        Entry entry = queued.remove(order);
        bytes -= entry.bytes();
        return entry;
    }

    /** Takes the oldest queued event to hand it to Kafka; it stays counted until {@link #acknowledged}. */
    Entry takeForSending() {
        Entry entry = queued.pollFirstEntry().getValue();
        queuedPartials.remove(entry.order());
        inFlight++;
        return entry;
    }

    void acknowledged(Entry entry) {
        inFlight--;
        bytes -= entry.bytes();
    }

    /** A send failed and will be retried: back in the queue at its original position. */
    void requeue(Entry entry) {
        inFlight--;
        bytes -= entry.bytes();
        add(entry);
    }

    /** Empties the queue (not what is in flight) and returns its events in order. */
    List<Entry> drainQueued() {
        List<Entry> entries = new ArrayList<>(queued.values());
        queued.clear();
        queuedPartials.clear();
        for (Entry e : entries) {
            bytes -= e.bytes();
        }
        return entries;
    }

    boolean hasQueued() {
        return !queued.isEmpty();
    }

    int inFlight() {
        return inFlight;
    }

    int size() {
        return queued.size() + inFlight;
    }

    long bytes() {
        return bytes;
    }
}
