package io.captioner.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which tapped legs get a recognizer: at most {@code limits.maxLegs} at once, so that an overloaded
 * service refuses new legs instead of falling behind on all of them. Remembers the legs it refused
 * (overload, no recognizer) until their call ends.
 *
 * <p>Threading: admitted and refused on the connector's context, released on a decoder thread when a
 * leg's captions finish, read by the HTTP API; all state is atomic or concurrent.
 */
final class LegAdmission {
    private final int maxLegs;
    private final AtomicInteger activeLegs = new AtomicInteger();
    /** Refused legs by leg id, with their call id. */
    private final Map<String, String> refusedLegs = new ConcurrentHashMap<>();

    LegAdmission(int maxLegs) {
        this.maxLegs = maxLegs;
    }

    int maxLegs() {
        return maxLegs;
    }

    /** Takes one of the places, or returns false when all are taken. */
    boolean admit() {
        if (activeLegs.incrementAndGet() > maxLegs) {
            activeLegs.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back the place of a leg whose captions finished (or that got no recognizer after all). */
    void release() {
        activeLegs.decrementAndGet();
    }

    int activeLegs() {
        return activeLegs.get();
    }

    void refused(String callId, String legId) {
        refusedLegs.put(legId, callId);
    }

    boolean isRefused(String legId) {
        return refusedLegs.containsKey(legId);
    }

    void callEnded(String callId) {
        refusedLegs.values().removeIf(callId::equals);
    }
}
