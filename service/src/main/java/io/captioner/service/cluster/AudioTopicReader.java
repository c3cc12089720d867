package io.captioner.service.cluster;

import io.captioner.service.CaptioningService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recognizer's side of the audio topic: a member of the recognizers' consumer group that hands the records of
 * the partitions Kafka assigns it to the {@link CaptioningService}, in order, as a connector would.
 *
 * <p>Commits (at least once): a partition's committed offset is the first record of the oldest call on it whose
 * captions are not finished (its call-ended event not yet acknowledged by Kafka), or the end of what was read
 * when none is open. A recognizer that takes the partition over, after this one left or died, captions those
 * calls again from their start: their events carry the same ids (the tapper's record times name the run, and a
 * final's revision counts every partial made), so consumers drop what they already have by {@code eventId}.
 *
 * <p>A partition whose calls have more than {@link #MAX_BACKLOG} of audio waiting to be decoded is paused until
 * they catch up: a take-over reads a call's audio much faster than real time.
 */
public final class AudioTopicReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioTopicReader.class);
    static final Duration MAX_BACKLOG = Duration.ofSeconds(1);
    /** Behind the tapper by more than this, a recognizer is not ready (its captions are that late). */
    static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(50);

    /** What this member read of one partition (poll thread only). */
    private static final class PartitionState {
        long next = -1; // offset after the last record handled
        long committed = -1;
        long lastRecordTime; // the tapper's time of the last record handled, ms since the epoch
        final Map<String, Long> openCalls = new HashMap<>(); // call id -> offset of its call-started record
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final CaptioningService service;
    private final BooleanSupplier captionsAcknowledged;
    private final RecordClock clock;
    private final DoubleConsumer hopSeconds;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong recordsRejected = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile double delaySeconds;

    /**
     * @param captionsAcknowledged waits until Kafka acknowledged every caption event published so far; false if it
     *                             did not in time (then nothing is committed)
     * @param clock                the clock {@code service} dates its events by: this reader sets it
     * @param hopSeconds           told, for each audio record, how long ago the tapper sent it
     */
    public AudioTopicReader(
            Map<String, Object> consumerConfig,
            String topic,
            CaptioningService service,
            BooleanSupplier captionsAcknowledged,
            RecordClock clock,
            DoubleConsumer hopSeconds) {
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.service = service;
        this.captionsAcknowledged = captionsAcknowledged;
        this.clock = clock;
        this.hopSeconds = hopSeconds;
        this.thread = new Thread(this::run, "audio-topic-reader");
    }

    public void start() {
        thread.start();
    }

    /** Partitions of the audio topic this member holds now. */
    public Set<TopicPartition> assignment() {
        return assigned;
    }

    /** Whether the reader is polling (its group membership is Kafka's to decide). */
    public boolean isReading() {
        return thread.isAlive() && running;
    }

    /**
     * How far behind the tapper this recognizer reads: over its partitions with records still to read, the most
     * time since the tapper recorded the last record handled; 0 when it has read everything.
     */
    public double delaySeconds() {
        return delaySeconds;
    }

    /** Whether this recognizer keeps up: less than {@link #MAX_DELAY} behind the tapper. */
    public boolean isKeepingUp() {
        return delaySeconds < MAX_DELAY.toSeconds();
    }

    public long recordsRead() {
        return recordsRead.get();
    }

    /** Records that were not audio records of this version (each logged with partition and offset, then skipped). */
    public long recordsRejected() {
        return recordsRejected.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            long nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
                pauseWhileBehind();
                if (System.nanoTime() - nextCommit >= 0) {
                    measureDelay();
                    commitOrRetryLater();
                    nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
                }
            }
        } catch (WakeupException e) {
            // close() wakes the poll up
        } catch (RuntimeException e) {
            log.error("reading the audio topic {} stopped: {}", topic, e.toString(), e);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        recordsRead.incrementAndGet();
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.next = record.offset() + 1;
        AudioRecord audio;
        try {
            audio = AudioRecord.decode(record.value());
        } catch (IllegalArgumentException e) {
            if (recordsRejected.incrementAndGet() % 1000 == 1) {
                log.error(
                        "{} offset {} (key {}): skipped: {}", partition, record.offset(), record.key(), e.getMessage());
            }
            return;
        }
        state.lastRecordTime = record.timestamp();
        if (audio instanceof AudioRecord.Audio) {
            hopSeconds.accept(Math.max(0, System.currentTimeMillis() - record.timestamp()) / 1000.0);
        }
        clock.set(Instant.ofEpochMilli(record.timestamp()));
        if (audio instanceof AudioRecord.CallStarted) {
            state.openCalls.putIfAbsent(audio.callId(), record.offset());
        }
        try {
            audio.deliverTo(service);
        } catch (RuntimeException e) {
            log.error(
                    "call {}: {} at {} offset {} failed: {}",
                    audio.callId(),
                    audio.getClass().getSimpleName(),
                    partition,
                    record.offset(),
                    e.toString(),
                    e);
        }
    }

    private void measureDelay() {
        long now = System.currentTimeMillis();
        double most = 0;
        for (TopicPartition partition : consumer.assignment()) {
            PartitionState state = partitions.get(partition);
            if (state != null && consumer.currentLag(partition).orElse(0) > 0) {
                most = Math.max(most, (now - state.lastRecordTime) / 1000.0);
            }
        }
        delaySeconds = most;
    }

    /** Pauses partitions with a call behind in decoding, resumes those caught up. */
    private void pauseWhileBehind() {
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            long backlog = e.getValue().openCalls.keySet().stream()
                    .mapToLong(service::backlogMs)
                    .max()
                    .orElse(0);
            boolean behind = backlog > MAX_BACKLOG.toMillis();
            if (behind && paused.add(e.getKey())) {
                consumer.pause(List.of(e.getKey()));
            } else if (!behind && paused.remove(e.getKey())) {
                consumer.resume(List.of(e.getKey()));
            }
        }
    }

    /**
     * A commit refused while the group rebalances (or the broker is away) is not a reason to stop reading: the
     * next one commits as much or more.
     */
    private void commitOrRetryLater() {
        try {
            commit(partitions.keySet());
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("audio offsets not committed this time: {}", e.toString());
        }
    }

    /** Commits what the calls' finished captions allow on {@code which} partitions. */
    private void commit(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionState state = partitions.get(partition);
            if (state == null || state.next < 0) {
                continue;
            }
            state.openCalls.keySet().removeIf(callId -> !service.isCaptioning(callId));
            long safe = state.openCalls.values().stream()
                    .mapToLong(Long::longValue)
                    .min()
                    .orElse(state.next);
            if (safe > state.committed) {
                offsets.put(partition, new OffsetAndMetadata(safe));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (!captionsAcknowledged.getAsBoolean()) {
            log.warn("caption events not yet acknowledged by Kafka: audio offsets not committed this time");
            return;
        }
        consumer.commitSync(offsets);
        offsets.forEach((partition, offset) -> partitions.get(partition).committed = offset.offset());
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            Set<TopicPartition> now = new HashSet<>(assigned);
            now.addAll(added);
            assigned = Set.copyOf(now);
            if (!added.isEmpty()) {
                log.info("audio partitions assigned: {}", added);
            }
        }

        /** Graceful: what is finished is committed, the calls still open are left to the next owner. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            try {
                commit(revoked);
            } catch (RuntimeException e) {
                log.warn("commit of revoked partitions {} failed: {}", revoked, e.toString());
            }
            drop(revoked);
        }

        /** This member was thrown out (no heartbeat in time): the new owner takes the calls from the last commit. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            drop(lost);
        }

        private void drop(Collection<TopicPartition> gone) {
            for (TopicPartition partition : gone) {
                PartitionState state = partitions.remove(partition);
                paused.remove(partition);
                if (state != null) {
                    new ArrayList<>(state.openCalls.keySet()).forEach(service::abandonCall);
                }
            }
            Set<TopicPartition> now = new HashSet<>(assigned);
            now.removeAll(gone);
            assigned = Set.copyOf(now);
            if (!gone.isEmpty()) {
                log.info("audio partitions given up: {}", gone);
            }
        }
    }

    /**
     * Leaves the group: the calls still open are handed over (their partitions' new owners caption them from their
     * start).
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(30_000);
        try {
            consumer.close(Duration.ofSeconds(10)); // revokes: commits what is finished, drops the open calls
        } catch (RuntimeException e) {
            log.warn("closing the audio topic consumer: {}", e.toString());
        }
    }
}
