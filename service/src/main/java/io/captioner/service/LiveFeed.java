package io.captioner.service;

import io.captioner.stream.event.CallEnded;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventJson;
import io.captioner.stream.event.StreamEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live page's feed (/api/events): every event, as JSON, to the subscribers; and to a new subscriber
 * first what the calls in progress said so far (their start, finals and errors, at most
 * {@link #FINALS_KEPT_PER_CALL} finals each), so a page opened in the middle of a call shows it from its
 * start. Thread-safe; subscribers are called under the feed's lock and must not block.
 */
final class LiveFeed {
    static final int FINALS_KEPT_PER_CALL = 500;

    private record History(String started, Deque<String> since) {}

    private final Map<String, History> liveCalls = new LinkedHashMap<>();
    private final List<Consumer<String>> subscribers = new ArrayList<>();

    synchronized void publish(StreamEvent event) {
        boolean partial = event instanceof CaptionEvent c && c.partial();
        if (partial && subscribers.isEmpty()) {
            return;
        }
        String json = EventJson.toJson(event);
        if (event instanceof CallStarted) {
            liveCalls.put(event.callId(), new History(json, new ArrayDeque<>()));
        } else if (event instanceof CallEnded) {
            liveCalls.remove(event.callId());
        } else if (!partial && liveCalls.containsKey(event.callId())) {
            Deque<String> since = liveCalls.get(event.callId()).since();
            since.addLast(json);
            if (since.size() > FINALS_KEPT_PER_CALL) {
                since.removeFirst();
            }
        }
        subscribers.forEach(s -> s.accept(json));
    }

    /** Replays the calls in progress to {@code listener}, then feeds it every event; returns how to stop. */
    synchronized Runnable subscribe(Consumer<String> listener) {
        for (History call : liveCalls.values()) {
            listener.accept(call.started());
            call.since().forEach(listener);
        }
        subscribers.add(listener);
        return () -> {
            synchronized (this) {
                subscribers.remove(listener);
            }
        };
    }
}
