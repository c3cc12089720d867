package io.captioner.service.cluster;

import io.captioner.connector.AudioFrame;
import io.captioner.connector.CallInfo;
import io.captioner.connector.CallListener;
import io.captioner.connector.TappedLeg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tapper's listener: every callback of the connector becomes a record of the audio topic, keyed by call id, in
 * the order the connector made them. A leg's frames are gathered into records of {@code recordAudio} of audio;
 * a record that has waited that long without being full (a silent party, whose frames stop) goes out as it is.
 */
public final class AudioTopicPublisher implements CallListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioTopicPublisher.class);

    /** A leg's frames waiting to fill a record. */
    private static final class Gathering {
        final TappedLeg leg;
        final List<AudioFrame> frames = new ArrayList<>();
        final long firstFrameNanos = System.nanoTime();
        long audioMs;

        Gathering(TappedLeg leg) {
            this.leg = leg;
        }
    }

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long recordAudioMs;
    private final Map<String, Gathering> gathering = new HashMap<>(); // by leg id; guarded by this
    private final ScheduledExecutorService flusher;
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong recordsFailed = new AtomicLong();

    public AudioTopicPublisher(Map<String, Object> producerConfig, String topic, Duration recordAudio) {
        this.producer = new KafkaProducer<>(
                producerConfig,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        this.topic = topic;
        this.recordAudioMs = recordAudio.toMillis();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audio-topic-flusher");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushWaiting, recordAudioMs, recordAudioMs / 2 + 1, TimeUnit.MILLISECONDS);
    }

    /** Records acknowledged by Kafka. */
    public long recordsSent() {
        return recordsSent.get();
    }

    /** Records Kafka did not take (each logged): their audio is missing from the call. */
    public long recordsFailed() {
        return recordsFailed.get();
    }

    @Override
    public synchronized void onCallStarted(CallInfo call) {
        send(new AudioRecord.CallStarted(call));
    }

    @Override
    public synchronized void onCallVariable(CallInfo call, String name, String value) {
        send(new AudioRecord.CallVariable(call, name, value));
    }

    @Override
    public synchronized void onLegTapped(TappedLeg leg) {
        send(new AudioRecord.LegTapped(leg));
    }

    @Override
    public synchronized void onAudio(TappedLeg leg, AudioFrame frame) {
        Gathering g = gathering.computeIfAbsent(leg.legId(), id -> new Gathering(leg));
        g.frames.add(frame);
        g.audioMs += frame.durationMs();
        if (g.audioMs >= recordAudioMs) {
            flush(leg.legId());
        }
    }

    @Override
    public synchronized void onLegPaused(TappedLeg leg) {
        flush(leg.legId());
        send(new AudioRecord.LegPaused(leg));
    }

    @Override
    public synchronized void onLegResumed(TappedLeg leg) {
        send(new AudioRecord.LegResumed(leg));
    }

    @Override
    public synchronized void onDtmf(TappedLeg leg, char digit) {
        flush(leg.legId());
        send(new AudioRecord.Dtmf(leg, digit));
    }

    @Override
    public synchronized void onLegEnded(TappedLeg leg, String reason) {
        flush(leg.legId());
        send(new AudioRecord.LegEnded(leg, reason));
    }

    @Override
    public synchronized void onTapFailed(TappedLeg leg, String reason, int attempts) {
        flush(leg.legId());
        send(new AudioRecord.TapFailed(leg, reason, attempts));
    }

    @Override
    public synchronized void onCallEnded(CallInfo call, String reason) {
        call.legs().forEach(leg -> flush(leg.legId()));
        send(new AudioRecord.CallEnded(call, reason));
    }

    private synchronized void flushWaiting() {
        long now = System.nanoTime();
        List<String> due = new ArrayList<>();
        gathering.forEach((legId, g) -> {
            if (now - g.firstFrameNanos >= recordAudioMs * 1_000_000) {
                due.add(legId);
            }
        });
        due.forEach(this::flush);
    }

    private void flush(String legId) {
        Gathering g = gathering.remove(legId);
        if (g != null) {
            send(new AudioRecord.Audio(g.leg, g.frames));
        }
    }

    private void send(AudioRecord record) {
        producer.send(new ProducerRecord<>(topic, record.callId(), AudioRecord.encode(record)), (metadata, e) -> {
            if (e == null) {
                recordsSent.incrementAndGet();
            } else if (recordsFailed.incrementAndGet() % 1000 == 1) {
                log.error(
                        "call {}: an audio record was not delivered to {} ({} so far): {}",
                        record.callId(),
                        topic,
                        recordsFailed.get(),
                        e.toString());
            }
        });
    }

    /** Sends what is gathered and waits for Kafka to acknowledge every record. */
    @Override
    public void close() {
        flusher.shutdownNow();
        synchronized (this) {
            new ArrayList<>(gathering.keySet()).forEach(this::flush);
        }
        producer.flush();
        producer.close(Duration.ofSeconds(10));
    }
}
