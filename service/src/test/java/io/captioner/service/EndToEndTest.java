package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.Pacing;
import io.captioner.service.demo.Conversation;
import io.captioner.service.demo.DemoCommand;
import io.captioner.service.demo.DemoConversations;
import io.captioner.service.demo.SpeechSynthesizer;
import io.captioner.stream.event.CallEnded;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.StreamEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated call with known sentences on both legs, through the real AMI and AudioSocket
 * protocols, the shipped model and a real Kafka broker, read back from Kafka and seen on the live
 * page in headless Chromium.
 */
class EndToEndTest {
    /** The model card's held-out streaming WER is the reference; synthesized calls stay well inside this. */
    static final double MAX_WER = 0.25;

    @TempDir Path work;

    @Test
    void callIsCaptionedIntoKafkaAndOnTheLivePage() throws Exception {
        Conversation conversation = DemoConversations.forCall(0);
        try (ServiceHarness harness = new ServiceHarness(Pacing.REAL_TIME, Map.of());
             HeadlessChromium page = new HeadlessChromium("http://127.0.0.1:" + harness.app.httpPort() + "/")) {
            assertEquals(200, harness.get("/health").statusCode());
            assertTrue(harness.get("/ready").body().contains("\"status\":\"READY\""), harness.get("/ready").body());

            harness.asterisk.place(DemoCommand.simulatedCall(conversation, new SpeechSynthesizer(work)));
            List<StreamEvent> events = harness.readUntilCallsEnded(1, Duration.ofSeconds(120));

            assertTrue(events.get(0) instanceof CallStarted started && started.callerNumber().equals(conversation.callerNumber()),
                    "the call-started event comes first: " + events.get(0));
            assertTrue(events.get(events.size() - 1) instanceof CallEnded, "the call-ended event comes last");
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).sequence(), "per-call sequence numbers run without gaps");
            }
            List<CaptionEvent> captions = events.stream().filter(e -> e instanceof CaptionEvent).map(e -> (CaptionEvent) e).toList();
            assertPartialsPrecedeTheirFinal(captions);
            for (Role role : Role.values()) {
                String spoken = conversation.script(role == Role.CALLER ? Conversation.Speaker.CALLER : Conversation.Speaker.AGENT);
                String captioned = captions.stream().filter(c -> !c.partial() && c.role() == role)
                        .map(CaptionEvent::text).collect(Collectors.joining(" "));
                double wer = WordErrorRate.of(spoken, captioned);
                assertTrue(wer <= MAX_WER, role + " WER " + wer + "\n spoken:    " + spoken + "\n captioned: " + captioned);
            }

            String finals = page.awaitEvaluation("document.querySelectorAll('.turn.final').length", "\"value\":" + countFinals(captions),
                    Duration.ofSeconds(10));
            assertTrue(finals.contains("\"value\":" + countFinals(captions)), "the live page shows every final: " + finals);
            String agentText = page.evaluate("document.querySelector('.turn.agent.final .text').textContent");
            assertTrue(agentText.contains("thank you"), agentText);

            String metrics = harness.get("/metrics").body();
            assertTrue(metrics.contains("captioner_captions_total{kind=\"final\"}"), metrics);
            assertTrue(metrics.contains("captioner_audio_seconds_total"), metrics);
        }
    }

    private static long countFinals(List<CaptionEvent> captions) {
        return captions.stream().filter(c -> !c.partial()).count();
    }

    private static void assertPartialsPrecedeTheirFinal(List<CaptionEvent> captions) {
        Map<String, CaptionEvent> finals = new HashMap<>();
        Set<String> withPartials = new HashSet<>();
        for (CaptionEvent c : captions) {
            String key = c.legId() + "/" + c.segmentId();
            assertFalse(finals.containsKey(key), "nothing follows the final of segment " + key);
            if (c.partial()) {
                withPartials.add(key);
            } else {
                finals.put(key, c);
            }
        }
        assertFalse(finals.isEmpty(), "finals arrived");
        assertTrue(finals.keySet().stream().anyMatch(withPartials::contains), "partials share the segment ids of their finals");
        assertEquals(Set.of(Role.CALLER, Role.AGENT), finals.values().stream().map(CaptionEvent::role).collect(Collectors.toSet()),
                "both legs are captioned with their roles");
    }
}
