package io.captioner.stream.kafka;

import io.captioner.stream.event.EventJson;
import io.captioner.stream.event.EventType;
import io.captioner.stream.event.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes call events to Kafka, keyed by call id, with an idempotent producer and {@code acks=all}, so a
 * call's events arrive once each and in order.
 *
 * <p>Accepted events wait in a bounded buffer until Kafka acknowledges them; while the broker is unreachable
 * they are held and retried. When the buffer is full, queued partial captions are dropped (oldest first,
 * counted) to make room; a final caption (or any other non-droppable event) is never dropped silently: it
 * waits up to {@code fullBufferWait} for room and is then rejected with an error log, a counter and, if
 * configured, a line in the spill file. {@link #shutdown()} tries to deliver what is buffered within
 * {@code shutdownTimeout} and reports (and spills) what it could not.
 *
 * <p>Each event gets its call's next sequence number when accepted ({@link StreamEvent#sequence()}); events
 * that already carry one (replayed from a spill file) keep it.
 *
 * <p>Threading: any thread may publish; one sender thread hands buffered events to the Kafka producer, whose
 * callback thread reports each verdict; the three share one lock. Broker reachability and topic readiness are
 * {@link BrokerHealth}'s, with its own probe thread.
 */
public final class CaptionPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptionPublisher.class);
    private static final int MAX_TRACKED_CALLS = 100_000;
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PublisherSettings settings;
    private final Producer<String, String> producer;
    private final BrokerHealth health;
    private final EventBuffer buffer;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendable = lock.newCondition();
    private final Condition changed = lock.newCondition();
    private final Map<String, Long> nextSequence = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_TRACKED_CALLS;
        }
    };
    private final List<EventBuffer.Entry> undelivered = new ArrayList<>();
    private final Thread sender;

    private long nextOrder;
    private long accepted;
    private long sent;
    private long failedAttempts;
    private long failedPermanently;
    private long droppedPartials;
    private long rejected;
    private long spilled;
    private long backoffUntilNanos;
    private long lastRejectLogNanos = Long.MIN_VALUE;
    private boolean closing;
    private boolean stopSending;
    private boolean forcedClose;
    private ShutdownReport shutdownReport;

    private CaptionPublisher(PublisherSettings settings) {
        this.settings = settings;
        this.backoffUntilNanos = System.nanoTime(); // nanoTime may be negative: no backoff means "until now"
        this.buffer = new EventBuffer(settings.maxBufferedEvents(), settings.maxBufferedBytes());
        KafkaClientConfig.warnAboutUnknownProperties(settings.kafkaProperties());
        this.producer = new KafkaProducer<>(
                KafkaClientConfig.producer(settings), new StringSerializer(), new StringSerializer());
        this.health = new BrokerHealth(settings);
        this.sender = new Thread(this::sendLoop, "caption-publisher-sender");
        this.sender.setDaemon(true);
    }

    /**
     * Creates the publisher, checks the broker once (so {@link #isReady()} means something right away) and starts
     * delivering. An unreachable broker or a topic problem does not fail the start: they are logged, reported by
     * {@link #isReady()} / {@link #stats()}, and retried every {@code probeInterval}. Use {@link #ensureTopics()}
     * to fail fast instead.
     */
    public static CaptionPublisher start(PublisherSettings settings) {
        CaptionPublisher publisher = new CaptionPublisher(settings);
        log.info("caption publisher starting: {}", settings);
        publisher.health.start();
        publisher.sender.start();
        return publisher;
    }

    /**
     * Accepts an event for delivery, or drops / rejects it when the buffer is full (see the class comment).
     * Blocks at most {@code fullBufferWait}, and only for a non-droppable event that finds the buffer full of
     * non-droppable events; callers that must never block (an event loop) set {@code fullBufferWait} to zero.
     */
    public PublishOutcome publish(StreamEvent event) {
        List<String> toSpill = List.of();
        PublishOutcome outcome;
        lock.lock();
        try {
            StreamEvent stamped = event.sequence() == StreamEvent.UNASSIGNED
                    ? event.withSequence(nextSequence.merge(event.callId(), 1L, Long::sum) - 1)
                    : event;
            String json = EventJson.toJson(stamped);
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            outcome = admit(stamped, json, bytes);
            if (outcome == PublishOutcome.REJECTED) {
                rejected++;
                logRejection(stamped, bytes);
                if (!stamped.droppable()) {
                    toSpill = List.of(json);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rejected++; // still under the lock: awaitNanos re-acquires it before throwing
            log.error("interrupted while waiting for room for event {}; rejected", event.eventId());
            outcome = PublishOutcome.REJECTED;
        } finally {
            lock.unlock();
        }
        spill(toSpill);
        return outcome;
    }

    /** Under the lock: buffers the event if there is (or comes) room, dropping queued partials first. */
    private PublishOutcome admit(StreamEvent event, String json, int bytes) throws InterruptedException {
        if (closing) {
            log.error("caption publisher is closed; event {} not published", event.eventId());
            return PublishOutcome.REJECTED;
        }
        if (!buffer.fitsEver(bytes)) {
            log.error(
                    "event {} is {} bytes, more than the whole buffer (maxBufferedBytes={})",
                    event.eventId(),
                    bytes,
                    settings.maxBufferedBytes());
            if (event.droppable()) {
                droppedPartials++;
                return PublishOutcome.DROPPED_PARTIAL;
            }
            return PublishOutcome.REJECTED;
        }
        long waitNanos = settings.fullBufferWait().toNanos();
        while (!buffer.hasRoomFor(bytes)) {
            if (buffer.dropOldestPartial() != null) {
                droppedPartials++;
                continue;
            }
            if (event.droppable()) {
                droppedPartials++;
                return PublishOutcome.DROPPED_PARTIAL;
            }
            if (waitNanos <= 0 || closing) {
                return PublishOutcome.REJECTED;
            }
            waitNanos = changed.awaitNanos(waitNanos);
        }
        buffer.add(new EventBuffer.Entry(nextOrder++, event, settings.topicFor(event), json, bytes, System.nanoTime()));
        accepted++;
        sendable.signal();
        return PublishOutcome.ACCEPTED;
    }

    /** Publishes the events of a spill file again (they keep their ids and sequence numbers); returns how many. */
    public int replay(Path spillFile) throws IOException {
        int count = 0;
        for (StreamEvent event : SpillFile.read(spillFile)) {
            if (publish(event) == PublishOutcome.ACCEPTED) {
                count++;
            }
        }
        return count;
    }

    /** Waits until everything accepted so far is acknowledged; false if the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (buffer.size() > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The last contact with the broker (a send or a reachability probe) succeeded. */
    public boolean isBrokerReachable() {
        return health.brokerReachable();
    }

    /** Reachable broker and existing topics; when false, {@link PublisherStats#lastError()} says why. */
    public boolean isReady() {
        return health.brokerReachable() && health.topicsReady();
    }

    public PublisherStats stats() {
        lock.lock();
        try {
            return new PublisherStats(
                    accepted,
                    sent,
                    failedAttempts,
                    failedPermanently,
                    droppedPartials,
                    rejected,
                    buffer.size(),
                    buffer.bytes(),
                    buffer.inFlight(),
                    health.brokerReachable(),
                    health.topicsReady(),
                    health.lastError(),
                    latency.snapshot());
        } finally {
            lock.unlock();
        }
    }

    public PublisherSettings settings() {
        return settings;
    }

    /**
     * Checks now that the topics exist, creating them if allowed.
     *
     * @throws TopicSetupException when a topic is missing and cannot be created, or the broker does not answer
     */
    public void ensureTopics() {
        health.ensureTopics();
    }

    /**
     * Stops accepting events, delivers what it can within {@code shutdownTimeout}, then closes the Kafka client
     * and reports what was not delivered (logged; non-droppable events also written to the spill file).
     * Calling it again returns the same report.
     */
    public ShutdownReport shutdown() {
        lock.lock();
        try {
            if (shutdownReport != null) {
                return shutdownReport;
            }
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        try {
            flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            stopSending = true;
            forcedClose = true;
            sendable.signalAll();
        } finally {
            lock.unlock();
        }
        health.close();
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return report();
    }

    /** {@link #shutdown()}, for try-with-resources. */
    @Override
    public void close() {
        shutdown();
    }

    private ShutdownReport report() {
        List<EventBuffer.Entry> left;
        lock.lock();
        try {
            left = new ArrayList<>(undelivered);
            undelivered.clear();
            left.addAll(buffer.drainQueued());
        } finally {
            lock.unlock();
        }
        long finals = left.stream()
                .filter(e -> e.event().eventType() == EventType.FINAL_CAPTION)
                .count();
        long partials = left.stream().filter(e -> e.event().droppable()).count();
        long other = left.size() - finals - partials;
        spill(left.stream()
                .filter(e -> !e.event().droppable())
                .map(EventBuffer.Entry::json)
                .toList());
        lock.lock();
        try {
            shutdownReport = new ShutdownReport(
                    sent, finals, partials, other, droppedPartials, rejected, spilled, settings.spillFile());
        } finally {
            lock.unlock();
        }
        if (shutdownReport.allDelivered()) {
            log.info(
                    "caption publisher closed: {} events sent, {} partials dropped, nothing undelivered",
                    sent,
                    droppedPartials);
        } else {
            log.error(
                    "caption publisher closed with undelivered events: {} finals, {} partials, {} other "
                            + "undelivered at shutdown; {} rejected earlier; {} partials dropped; {} events in spill file {}",
                    finals,
                    partials,
                    other,
                    shutdownReport.rejected(),
                    droppedPartials,
                    spilled,
                    settings.spillFile() == null ? "(none configured)" : settings.spillFile());
        }
        return shutdownReport;
    }

    private void sendLoop() {
        while (true) {
            EventBuffer.Entry entry;
            lock.lock();
            try {
                while (!stopSending && !readyToSend()) {
                    long backoff = backoffUntilNanos - System.nanoTime();
                    if (buffer.hasQueued() && buffer.inFlight() < settings.maxInFlightEvents() && backoff > 0) {
                        sendable.awaitNanos(backoff);
                    } else {
                        sendable.await();
                    }
                }
                if (stopSending) {
                    return;
                }
                entry = buffer.takeForSending();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                producer.send(
                        new ProducerRecord<>(entry.topic(), entry.event().callId(), entry.json()),
                        (metadata, error) -> completed(entry, error));
            } catch (RuntimeException e) {
                completed(entry, e);
            }
        }
    }

    private boolean readyToSend() {
        return buffer.hasQueued()
                && buffer.inFlight() < settings.maxInFlightEvents()
                && System.nanoTime() - backoffUntilNanos >= 0;
    }

    /** Kafka's verdict on one event (called on the Kafka client's thread, or the sender's). */
    private void completed(EventBuffer.Entry entry, Exception error) {
        List<String> toSpill = List.of();
        lock.lock();
        try {
            if (error == null) {
                buffer.acknowledged(entry);
                sent++;
                latency.record(System.nanoTime() - entry.acceptedNanos());
                health.reachable();
            } else if (forcedClose) {
                buffer.acknowledged(entry);
                undelivered.add(entry);
            } else if (error instanceof RetriableException) {
                failedAttempts++;
                buffer.requeue(entry);
                backoffUntilNanos = System.nanoTime() + settings.retryBackoff().toNanos();
                health.unreachable("cannot deliver to Kafka at " + settings.bootstrapServers() + ": "
                        + error.getMessage() + " (retrying; " + buffer.size() + " events buffered)");
            } else {
                buffer.acknowledged(entry);
                failedPermanently++;
                health.refused("Kafka refused event " + entry.event().eventId() + ": " + error);
                log.error(
                        "Kafka refused event {} ({} bytes) for good: {}",
                        entry.event().eventId(),
                        entry.bytes(),
                        error.toString());
                if (!entry.event().droppable()) {
                    toSpill = List.of(entry.json());
                }
            }
            changed.signalAll();
            sendable.signal();
        } finally {
            lock.unlock();
        }
        spill(toSpill);
    }

    private void logRejection(StreamEvent event, int bytes) {
        long now = System.nanoTime();
        if (now - lastRejectLogNanos < ERROR_LOG_INTERVAL_NANOS && lastRejectLogNanos != Long.MIN_VALUE) {
            return;
        }
        lastRejectLogNanos = now;
        log.error(
                "caption buffer full ({} of {} events, {} bytes, no partials left to drop): rejected {} {} "
                        + "({} bytes) of call {}; {} rejected so far; {}",
                buffer.size(),
                settings.maxBufferedEvents(),
                buffer.bytes(),
                event.eventType(),
                event.eventId(),
                bytes,
                event.callId(),
                rejected,
                settings.spillFile() == null ? "no spill file configured" : "written to " + settings.spillFile());
    }

    private void spill(List<String> jsonLines) {
        if (jsonLines.isEmpty() || settings.spillFile() == null) {
            return;
        }
        try {
            SpillFile.append(settings.spillFile(), jsonLines);
            lock.lock();
            try {
                spilled += jsonLines.size();
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            log.error(
                    "cannot write {} undelivered events to spill file {}: {}",
                    jsonLines.size(),
                    settings.spillFile(),
                    e.toString());
        }
    }
}
