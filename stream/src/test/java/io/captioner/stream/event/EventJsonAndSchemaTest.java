package io.captioner.stream.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captioner.stream.redact.RedactionRules;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonAndSchemaTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private final CallEventFactory call = new CallEventFactory(
            "1700000000.42",
            START,
            new ModelInfo("u2pp-moe", "1.0"),
            Clock.fixed(START.plusSeconds(12), ZoneOffset.UTC),
            RedactionRules.none());

    @Test
    void everyEventTypeRoundTripsAndIsSchemaValid() {
        List<StreamEvent> events = List.of(
                call.callStarted(
                        "+15551234",
                        "600",
                        List.of(
                                new LegInfo("caller", Role.CALLER, "PJSIP/a-1"),
                                new LegInfo("agent", Role.AGENT, null))),
                call.partial(
                        "caller",
                        Role.CALLER,
                        "s1",
                        12_300,
                        13_100,
                        "hello wor",
                        List.of(new Word("hello", 12_300, 12_700, 0.9)),
                        0.8,
                        6),
                call.finalCaption(
                        "caller",
                        Role.CALLER,
                        "s1",
                        12_300,
                        13_400,
                        "hello world",
                        List.of(new Word("hello", 12_300, 12_700, 0.95), new Word("world", 12_800, 13_400, 0.9)),
                        0.93),
                call.legError("agent", Role.AGENT, LegError.TAP_FAILED, "ChanSpy origination failed: no such channel"),
                call.callEnded("hangup"));
        long sequence = 0;
        for (StreamEvent unassigned : events) {
            StreamEvent event = unassigned.withSequence(sequence++);
            String json = EventJson.toJson(event);
            assertEquals(List.of(), EventSchema.validate(json), json);
            assertEquals(event, EventJson.fromJson(json));
        }
        String partialJson = EventJson.toJson(events.get(1).withSequence(1));
        assertTrue(partialJson.contains("\"isPartial\":true"), partialJson);
        assertFalse(partialJson.contains("\"partial\""), partialJson);
    }

    static List<Word> spoken(String text, long startMs) {
        List<Word> words = new java.util.ArrayList<>();
        for (String w : text.split(" ")) {
            words.add(new Word(w, startMs, startMs + 250, 0.9));
            startMs += 300;
        }
        return words;
    }

    @Test
    void redactedCaptionsCarryTheirSpansAndNothingOfWhatWasSaid() {
        CallEventFactory redacting = new CallEventFactory(
                "1700000000.43",
                START,
                new ModelInfo("u2pp-moe", "1.0"),
                Clock.fixed(START.plusSeconds(12), ZoneOffset.UTC),
                RedactionRules.defaults());
        String card = "four five five six seven three seven five eight six eight nine nine eight five five";
        CaptionEvent partial = redacting.partial(
                "caller",
                Role.CALLER,
                "s1",
                1000,
                3000,
                "it's four five five six",
                spoken("it's four five five six", 1000),
                0.8,
                10);
        assertEquals("it's [DIGITS]", partial.text());
        assertEquals(5, partial.stablePrefixLength());
        CaptionEvent fin = redacting.finalCaption(
                "caller",
                Role.CALLER,
                "s1",
                1000,
                6000,
                "it's " + card + " ok",
                spoken("it's " + card + " ok", 1000),
                0.9);
        assertEquals("it's [CARD] ok", fin.text());
        assertEquals(List.of(new Redaction("CARD", 1300, 1300 + 15 * 300 + 250)), fin.redactions());
        for (CaptionEvent event : List.of(partial, fin)) {
            String json = EventJson.toJson(event.withSequence(3));
            assertEquals(List.of(), EventSchema.validate(json), json);
            assertFalse(json.matches("(?s).*(five|six|seven|eight|nine).*"), json);
            assertEquals(event.withSequence(3), EventJson.fromJson(json));
        }
    }

    @Test
    void captionsWrittenBeforeRedactionsExistedStillRead() {
        CaptionEvent event = call.finalCaption(
                        "caller", Role.CALLER, "s9", 0, 250, "hi", List.of(new Word("hi", 0, 250, 0.9)), 0.9)
                .withSequence(0);
        String old = EventJson.toJson(event).replace("\"redactions\":[],", "");
        assertFalse(old.contains("redactions"), old);
        assertEquals(List.of(), EventSchema.validate(old), old);
        assertEquals(event, EventJson.fromJson(old));
    }

    @Test
    void eventIdsAreDeterministicAndRevisionsCountTheUtterance() {
        CaptionEvent p0 = call.partial("caller", Role.CALLER, "7", 0, 100, "a", List.of(), 0.5, 0);
        CaptionEvent p1 = call.partial("caller", Role.CALLER, "7", 0, 200, "ab", List.of(), 0.5, 1);
        CaptionEvent fin = call.finalCaption("caller", Role.CALLER, "7", 0, 250, "abc", List.of(), 0.7);
        assertEquals("1700000000.42:caller:7:0", p0.eventId());
        assertEquals("1700000000.42:caller:7:1", p1.eventId());
        assertEquals("1700000000.42:caller:7:2", fin.eventId());
        assertEquals(3, fin.stablePrefixLength());
        assertThrows(
                IllegalStateException.class,
                () -> call.partial("caller", Role.CALLER, "7", 0, 300, "abcd", List.of(), 0.5, 0));
        CallEnded ended = call.callEnded("hangup");
        assertEquals(2, ended.partialCount());
        assertEquals(1, ended.finalCount());
    }

    @Test
    void aSkippedPartialUsesUpItsRevisionSoTheFinalsIdDoesNotDependOnLoad() {
        call.partial("agent", Role.AGENT, "3", 0, 100, "a", List.of(), 0.5, 0);
        call.skipRevision("agent", "3");
        CaptionEvent fin = call.finalCaption("agent", Role.AGENT, "3", 0, 250, "abc", List.of(), 0.7);
        assertEquals("1700000000.42:agent:3:2", fin.eventId(), "as if both partials had been published");
        call.skipRevision("agent", "4");
        CaptionEvent next = call.partial("agent", Role.AGENT, "4", 300, 400, "d", List.of(), 0.5, 0);
        assertEquals("1700000000.42:agent:4:1", next.eventId());
    }

    @Test
    void oddContentSurvives() {
        String longText = "word ".repeat(20_000).trim();
        for (String text :
                List.of("", "¿Dónde está? 東京 — naïve café 🎧", "quote \" backslash \\ tab \t nl \n", longText)) {
            StreamEvent event = call.finalCaption(
                            "agent", Role.AGENT, "seg" + Math.abs(text.hashCode()), 0, 60_000, text, List.of(), 0.0)
                    .withSequence(3);
            String json = EventJson.toJson(event);
            assertEquals(List.of(), EventSchema.validate(json));
            assertEquals(text, ((CaptionEvent) EventJson.fromJson(json)).text());
        }
    }

    @Test
    void schemaNamesWhatIsWrong() {
        CaptionEvent event = call.partial("caller", Role.CALLER, "9", 0, 10, "hi", List.of(), 0.5, 1);
        ObjectNode node = EventJson.mapper().valueToTree(event.withSequence(0));
        node.put("confidence", 1.5);
        node.remove("segmentId");
        node.put("extra", 1);
        node.put("timestamp", "yesterday");
        List<String> errors = EventSchema.validate(node.toString());
        String all = String.join("\n", errors);
        assertTrue(all.contains("confidence"), all);
        assertTrue(all.contains("segmentId"), all);
        assertTrue(all.contains("extra"), all);
        assertTrue(all.contains("timestamp"), all);
        // sequence must be assigned before an event goes out
        assertFalse(EventSchema.validate(EventJson.toJson(event)).isEmpty());
        List<String> notJson = EventSchema.validate("{");
        assertEquals(1, notJson.size());
        assertTrue(notJson.get(0).startsWith("$: not JSON"), notJson.get(0));
    }

    @Test
    void badValuesAreRejectedWithTheFieldNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> call.partial("caller", Role.CALLER, "x", 500, 100, "t", List.of(), 0.5, 0));
        assertTrue(e.getMessage().contains("startMs=500"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> call.partial("caller", Role.CALLER, "y", 0, 100, "t", List.of(), 0.5, 5));
        assertTrue(e.getMessage().contains("stablePrefixLength"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EventJson.fromJson("{\"eventType\":\"NOPE\"}"));
        assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> EventJson.fromJson(
                        "{\"eventType\":\"CALL_ENDED\",\"schemaVersion\":1,\"eventId\":\"c:ended\",\"callId\":\"c\","
                                + "\"sequence\":1,\"timestamp\":\"2026-01-01T00:00:00Z\",\"reason\":\"x\",\"durationMs\":-5,"
                                + "\"partialCount\":0,\"finalCount\":0,\"errorCount\":0}"));
        assertTrue(e.getMessage().contains("durationMs"), e.getMessage());
    }
}
