package io.captioner.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.EventSchema;
import io.captioner.stream.event.ModelInfo;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.Word;
import io.captioner.stream.kafka.CaptionConsumer;
import io.captioner.stream.kafka.CaptionPublisher;
import io.captioner.stream.kafka.PublishOutcome;
import io.captioner.stream.kafka.PublisherStats;
import io.captioner.stream.kafka.ShutdownReport;
import io.captioner.stream.kafka.SpillFile;
import io.captioner.stream.redact.RedactionRules;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Empty, non-ASCII and very long captions through a real broker; one too large for Kafka is reported. */
class OddContentTest {

    @Test
    void oddCaptionsArriveIntactAndAnOversizedOneIsReportedNotLost(@TempDir Path dir) throws Exception {
        String bootstrap = TestKafka.sharedBroker().bootstrapServers();
        Path spill = dir.resolve("spill.jsonl");
        CaptionPublisher publisher = CaptionPublisher.start(
                TestKafka.settings(bootstrap).spillFile(spill).build());
        CallEventFactory call = new CallEventFactory(
                "odd-1", Instant.now(), new ModelInfo("m", "1"), Clock.systemUTC(), RedactionRules.none());

        StringBuilder longText = new StringBuilder();
        List<Word> longWords = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String w = "słowo" + i;
            longText.append(i == 0 ? "" : " ").append(w);
            longWords.add(new Word(w, i * 300L, i * 300L + 250, 0.8));
        }
        List<CaptionEvent> captions = List.of(
                call.finalCaption("caller", Role.CALLER, "empty", 0, 0, "", List.of(), 0.0),
                call.finalCaption(
                        "agent",
                        Role.AGENT,
                        "intl",
                        100,
                        900,
                        "Grüße aus Köln — 東京 · مرحبا · 🎧 \"ok\"\n",
                        List.of(new Word("Grüße", 100, 400, 0.7), new Word("東京", 500, 700, 0.6)),
                        0.66),
                call.partial(
                        "caller", Role.CALLER, "long", 0, 1_500_000, longText.substring(0, 1000), List.of(), 0.8, 500),
                call.finalCaption("caller", Role.CALLER, "long", 0, 1_500_000, longText.toString(), longWords, 0.8));
        for (CaptionEvent c : captions) {
            assertEquals(PublishOutcome.ACCEPTED, publisher.publish(c));
        }
        // about 2 MB of JSON: more than the broker's default limit on a record (1 MB)
        CaptionEvent tooLarge =
                call.finalCaption("caller", Role.CALLER, "huge", 0, 10, "ä".repeat(1_000_000), List.of(), 0.5);
        assertEquals(PublishOutcome.ACCEPTED, publisher.publish(tooLarge));
        assertTrue(publisher.flush(Duration.ofSeconds(30)));
        PublisherStats stats = publisher.stats();
        ShutdownReport report = publisher.shutdown();

        assertEquals(4, stats.sent());
        assertEquals(1, stats.failedPermanently(), "Kafka refused the oversized record: " + stats);
        assertTrue(stats.lastError().contains(tooLarge.eventId()), stats.lastError());
        assertEquals(1, report.spilled());
        assertEquals(
                List.of(tooLarge.eventId()),
                SpillFile.read(spill).stream().map(e -> e.eventId()).toList());

        List<CaptionConsumer.Received> read = TestKafka.readUntil(
                bootstrap, List.of(publisher.settings().topic()), all -> all.size() >= 4, Duration.ofSeconds(30));
        for (int i = 0; i < captions.size(); i++) {
            assertEquals(List.of(), EventSchema.validate(read.get(i).json()));
            assertEquals(captions.get(i).withSequence(i), read.get(i).event());
        }
    }
}
