package io.captioner.service;

import io.captioner.connector.CallInfo;
import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One captioned call: its event factory, its legs and hotwords. The call-ended event waits until
 * every leg has published its final caption, so consumers read it last.
 */
final class CallCaptioner {
    record Hotwords(List<String> phrases, double boost) {}

    private final CallInfo call;
    private final CallEventFactory events;
    private final CaptionSink sink;
    private final Runnable onEnded;
    private final Map<String, LegCaptioner> legs = new ConcurrentHashMap<>();
    private volatile Hotwords hotwords;
    private int openLegs;
    private String endReason;
    private boolean endPublished;
    private volatile boolean abandoned;

    CallCaptioner(CallInfo call, CallEventFactory events, CaptionSink sink, Hotwords hotwords, Runnable onEnded) {
        this.call = call;
        this.events = events;
        this.sink = sink;
        this.hotwords = hotwords;
        this.onEnded = onEnded;
    }

    CallInfo call() {
        return call;
    }

    CallEventFactory events() {
        return events;
    }

    Hotwords hotwords() {
        return hotwords;
    }

    LegCaptioner leg(String legId) {
        return legs.get(legId);
    }

    synchronized void addLeg(LegCaptioner leg) {
        legs.put(leg.leg().legId(), leg);
        openLegs++;
    }

    /** Applies hotwords to the legs being captioned and to legs tapped later. */
    void setHotwords(Hotwords value) {
        hotwords = value;
        legs.values().forEach(l -> l.setHotwords(value));
    }

    /** The most audio any of the call's legs has waiting to be decoded, in ms. */
    long backlogMs() {
        return legs.values().stream().mapToLong(LegCaptioner::queuedMs).max().orElse(0);
    }

    /** The call's events go out here (its legs' too): nothing once the call was handed over. */
    void publish(StreamEvent event) {
        if (!abandoned) {
            sink.publish(event);
        }
    }

    /** Another instance captions the call from now on: the legs stop, nothing more is published. */
    synchronized void abandon() {
        abandoned = true;
        endPublished = true;
        legs.values().forEach(LegCaptioner::abandon);
    }

    /**
     * The call's audio stopped without an end (its tapper died) and the call starts again as a new run: each leg
     * publishes its last final and a {@code code} error; this run publishes no call-ended event (the new run does).
     */
    synchronized void interrupt(String code, String message) {
        endPublished = true;
        legs.values().forEach(leg -> leg.interrupt(code, message));
    }

    synchronized void legFinished() {
        openLegs--;
        publishEndIfDone();
    }

    synchronized void end(String reason) {
        endReason = reason;
        publishEndIfDone();
    }

    private void publishEndIfDone() {
        if (endReason != null && openLegs == 0 && !endPublished) {
            endPublished = true;
            publish(events.callEnded(endReason));
            onEnded.run();
        }
    }
}
