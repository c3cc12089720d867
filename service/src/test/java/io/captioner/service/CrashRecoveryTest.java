package io.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.connector.sim.FakeAsterisk;
import io.captioner.service.demo.Conversation;
import io.captioner.service.demo.DemoCommand;
import io.captioner.service.demo.SpeechSynthesizer;
import io.captioner.stream.broker.EmbeddedKafkaBroker;
import io.captioner.stream.event.CallStarted;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.StreamEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the service in the middle of a call, then a restart (each a separate process, as in
 * production; Asterisk and Kafka stay up). What was acknowledged by Kafka before the kill stays there; the
 * restarted service finds the call in progress through the manager's channel list, taps its legs again and
 * captions the rest of it, up to its end. What is lost: the utterances open at the kill and the audio spoken
 * while no service ran.
 */
class CrashRecoveryTest {
    private static final String SECRET = "crash-secret";

    @TempDir
    Path work;

    @Test
    void aKilledServiceRestartsIntoTheCallInProgress() throws Exception {
        Conversation longCall = ServiceHarness.longCall();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startDefault();
                FakeAsterisk asterisk = FakeAsterisk.start(FakeAsterisk.Settings.local("captioner", SECRET))) {
            Path config = work.resolve("captioner.yaml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "ami.port: " + asterisk.amiPort(),
                            "ami.secret: " + SECRET,
                            "audiosocket.port: 0",
                            "http.port: 0",
                            "kafka.bootstrap: " + broker.bootstrapServers(),
                            "model.dir: " + ServiceHarness.MODEL,
                            ""));
            Process first = ServiceHarness.startProcess(config, work.resolve("first.log"));
            try {
                ServiceHarness.awaitTrue(
                        () -> asterisk.loggedInClients() == 1, Duration.ofSeconds(60), "the first service to log in");
                String callId = asterisk.place(DemoCommand.simulatedCall(longCall, new SpeechSynthesizer(work)))
                        .answered()
                        .get(30, TimeUnit.SECONDS);
                List<StreamEvent> beforeKill = ServiceHarness.readUntil(
                        broker.bootstrapServers(),
                        "captions",
                        events -> finals(events, callId) >= 3,
                        Duration.ofSeconds(60));

                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
                long restartedAt = System.nanoTime();
                Process second = ServiceHarness.startProcess(config, work.resolve("second.log"));
                try {
                    List<StreamEvent> all = ServiceHarness.readUntil(
                            broker.bootstrapServers(),
                            "captions",
                            events -> events.stream()
                                    .anyMatch(e -> e.callId().equals(callId) && e.eventType() == EventType.CALL_ENDED),
                            Duration.ofSeconds(120));

                    assertTrue(all.containsAll(beforeKill), "what Kafka acknowledged before the kill is still there");
                    long retapped = asterisk.taps().stream()
                            .filter(t -> t.originatedNanos() > restartedAt)
                            .count();
                    assertEquals(
                            2,
                            retapped,
                            "the restarted service taps both legs of the call in progress: " + asterisk.taps());
                    List<StreamEvent> afterKill = all.subList(beforeKill.size(), all.size()).stream()
                            .filter(e -> e.callId().equals(callId))
                            .toList();
                    assertTrue(
                            afterKill.stream().anyMatch(e -> e instanceof CallStarted),
                            "the restarted service announces the call");
                    assertTrue(
                            finals(afterKill, callId) >= 3,
                            "and captions the rest of it: " + finals(afterKill, callId) + " finals");
                    java.util.Set<String> earlierIds =
                            beforeKill.stream().map(StreamEvent::eventId).collect(java.util.stream.Collectors.toSet());
                    assertTrue(
                            afterKill.stream().noneMatch(e -> earlierIds.contains(e.eventId())),
                            "no event of the restarted service reuses an id of the run before (consumers de-duplicate by id)");
                    Instant killedAt = beforeKill.get(beforeKill.size() - 1).timestamp();
                    assertTrue(
                            afterKill.stream()
                                    .filter(e -> e instanceof CaptionEvent c && !c.partial())
                                    .allMatch(
                                            e -> ((CaptionEvent) e).startTime().isAfter(killedAt.minusSeconds(10))),
                            "finals after the restart are of the audio since");
                } finally {
                    second.destroy();
                    second.waitFor(20, TimeUnit.SECONDS);
                }
            } finally {
                first.destroyForcibly();
            }
        }
    }

    private static long finals(List<StreamEvent> events, String callId) {
        return events.stream()
                .filter(e -> e.callId().equals(callId) && e instanceof CaptionEvent c && !c.partial())
                .count();
    }

    /** The caption topic from its beginning, until {@code done} holds. */
}
