package io.captioner.stream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import io.captioner.stream.redact.RedactionRules;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBufferTest {
    private final CallEventFactory call =
            new CallEventFactory("c", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());
    private long order;

    @Test
    void dropsOldestQueuedPartialsOnlyAndRequeuesInOriginalOrder() {
        EventBuffer buffer = new EventBuffer(4, 1 << 20);
        EventBuffer.Entry p1 = entry(call.partial("l", Role.CALLER, "1", 0, 1, "a", List.of(), 0.5, 0));
        EventBuffer.Entry f1 = entry(call.finalCaption("l", Role.CALLER, "1", 0, 1, "a", List.of(), 0.5));
        EventBuffer.Entry p2 = entry(call.partial("l", Role.CALLER, "2", 0, 1, "b", List.of(), 0.5, 0));
        EventBuffer.Entry f2 = entry(call.finalCaption("l", Role.CALLER, "2", 0, 1, "b", List.of(), 0.5));
        for (EventBuffer.Entry e : List.of(p1, f1, p2, f2)) {
            buffer.add(e);
        }
        assertFalse(buffer.hasRoomFor(1));
        assertEquals(p1, buffer.dropOldestPartial());
        assertEquals(3, buffer.size());

        EventBuffer.Entry sending = buffer.takeForSending();
        assertEquals(f1, sending);
        assertEquals(1, buffer.inFlight());
        assertEquals(p2, buffer.dropOldestPartial());
        assertNull(buffer.dropOldestPartial(), "in-flight and final events are never dropped");
        buffer.requeue(sending);
        assertEquals(f1, buffer.takeForSending(), "a retried event goes back before later ones");
        buffer.acknowledged(f1);
        assertEquals(f2, buffer.takeForSending());
        buffer.acknowledged(f2);
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.bytes());
        assertTrue(buffer.hasRoomFor(1));
    }

    private EventBuffer.Entry entry(StreamEvent event) {
        return new EventBuffer.Entry(order++, event, "t", "{}", 100, System.nanoTime());
    }
}
