package io.captioner.service;

import io.captioner.asr.AsrResult;
import io.captioner.asr.StreamingRecognizer;
import io.captioner.asr.search.TimedWord;
import io.captioner.connector.AudioFrame;
import io.captioner.connector.TappedLeg;
import io.captioner.stream.event.CallEventFactory;
import io.captioner.stream.event.CaptionEvent;
import io.captioner.stream.event.LegError;
import io.captioner.stream.event.Role;
import io.captioner.stream.event.Word;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captions one leg: its audio waits in a bounded queue and is decoded on the shared decoder pool,
 * one batch at a time, never two at once for the same leg. Audio is decoded in full so that finals
 * stay exact; when the leg falls behind it first skips partials, and beyond the hard bound it drops
 * its oldest audio. A decoding failure ends this leg with a {@code LEG_ERROR} event and nothing else.
 *
 * <p>A final that ends in spoken digits is held back (redaction): if the leg speaks again within
 * {@code finalHold} and its first words go on with digits, the final waits for that utterance's final and
 * the two are redacted as one, so a card number split by a pause is hidden whole. Words that do not go on
 * with digits, the end of the leg, or {@code finalHold} of silence release it; a wake-up on the decoder
 * pool releases it on time when no audio comes.
 */
final class LegCaptioner {
    private static final Logger log = LoggerFactory.getLogger(LegCaptioner.class);

    private record Pending(AudioFrame frame, long arrivedNanos) {}

    private record HeldFinal(CallEventFactory.Final caption, long audioArrivedNanos) {}

    private static final int MAX_HELD_FINALS = 3;

    private final TappedLeg leg;
    private final Role role;
    private final StreamingRecognizer recognizer;
    private final CallEventFactory events;
    private final CaptionSink sink;
    private final ScheduledExecutorService decoders;
    private final ServiceMetrics metrics;
    private final ServiceSettings.Limits limits;
    private final long legOffsetMs;
    private final Duration finalHold;
    private final Runnable onFinished;
    /** The leg and the run of the call's events: a service restarted after a crash counts segments from 0 again. */
    private final String segmentPrefix;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedSamples;
    private boolean scheduled;
    private boolean ended;
    private boolean finished;
    private String endReason;
    private volatile CallCaptioner.Hotwords pendingHotwords;
    // touched by the decoding task only (one at a time)
    private long expectedTimestampMs;
    private long skippedMs;
    private final List<HeldFinal> held = new ArrayList<>();
    private long heldUntilNanos;
    private boolean heldForContinuation;
    private volatile boolean failed;
    private volatile boolean abandoned;
    private String interruptedCode; // guarded by this: the error published after the last final
    private String interruptedMessage;

    LegCaptioner(
            TappedLeg leg,
            StreamingRecognizer recognizer,
            CallEventFactory events,
            CaptionSink sink,
            ScheduledExecutorService decoders,
            ServiceMetrics metrics,
            ServiceSettings.Limits limits,
            long legOffsetMs,
            Duration finalHold,
            Runnable onFinished) {
        this.leg = leg;
        this.role = ServiceWiring.eventRole(leg.role());
        this.recognizer = recognizer;
        this.events = events;
        this.sink = sink;
        this.decoders = decoders;
        this.metrics = metrics;
        this.limits = limits;
        this.legOffsetMs = legOffsetMs;
        this.finalHold = finalHold;
        this.onFinished = onFinished;
        this.segmentPrefix = leg.legId().replace(':', '_') + "-" + events.run() + "-";
    }

    TappedLeg leg() {
        return leg;
    }

    /** Queues a frame (any thread); drops the oldest audio beyond the hard backlog bound. */
    void accept(AudioFrame frame) {
        metrics.audioSeconds.inc(frame.samples().length / (double) frame.sampleRate());
        long maxSamples = limits.maxBacklog().toMillis() * frame.sampleRate() / 1000;
        synchronized (this) {
            if (ended || failed) {
                return;
            }
            queue.addLast(new Pending(frame, System.nanoTime()));
            queuedSamples += frame.samples().length;
            while (queuedSamples > maxSamples && queue.size() > 1) {
                Pending dropped = queue.removeFirst();
                queuedSamples -= dropped.frame().samples().length;
                metrics.backlogFramesDropped.inc();
            }
            scheduleLocked();
        }
    }

    /** The leg's audio has ended: decode what is queued, then the final. */
    void end(String reason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            endReason = reason;
            scheduleLocked();
        }
    }

    /** Audio waiting to be decoded, in ms. */
    synchronized long queuedMs() {
        long ms = 0;
        for (Pending p : queue) {
            ms += p.frame().durationMs();
        }
        return ms;
    }

    /** The leg's audio stopped without an end: what is queued is decoded, the final published, then the error. */
    void interrupt(String code, String message) {
        synchronized (this) {
            if (ended) {
                return;
            }
            interruptedCode = code;
            interruptedMessage = message;
        }
        end("interrupted: " + code);
    }

    /** Another instance captions this leg from now on: what is queued or held is dropped, nothing is decoded. */
    void abandon() {
        synchronized (this) {
            abandoned = true;
            queue.clear();
            queuedSamples = 0;
            if (!ended) {
                ended = true;
                endReason = "handed over";
                scheduleLocked();
            }
        }
    }

    /** Takes effect before the next batch of audio is decoded (on the decoding thread). */
    void setHotwords(CallCaptioner.Hotwords hotwords) {
        pendingHotwords = hotwords;
    }

    private void scheduleLocked() {
        if (!scheduled && !finished) {
            scheduled = true;
            decoders.execute(this::drain);
        }
    }

    private void drain() {
        List<Pending> batch;
        boolean finishNow;
        synchronized (this) {
            batch = new ArrayList<>(queue);
            queue.clear();
            queuedSamples = 0;
            finishNow = ended;
        }
        try {
            if (abandoned) {
                held.clear();
            } else if (!failed && !batch.isEmpty()) {
                decode(batch);
            }
            if (finishNow && !failed && !abandoned) {
                long started = System.nanoTime();
                publish(recognizer.finish(), started, false);
                publishHeldFinals();
                publishInterruption();
            } else if (!abandoned
                    && !held.isEmpty()
                    && !heldForContinuation
                    && System.nanoTime() - heldUntilNanos >= 0) {
                publishHeldFinals();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
        synchronized (this) {
            scheduled = false;
            if (finishNow) {
                finished = true;
            } else if (!queue.isEmpty() || ended) {
                scheduleLocked();
            }
        }
        if (finishNow) {
            log.debug("leg {} of call {} finished ({})", leg.legId(), leg.callId(), endReason);
            onFinished.run();
        }
    }

    private void decode(List<Pending> batch) {
        CallCaptioner.Hotwords hotwords = pendingHotwords;
        if (hotwords != null) {
            pendingHotwords = null;
            recognizer.setHotwords(hotwords.phrases(), hotwords.boost());
        }
        long now = System.nanoTime();
        metrics.chunkQueueDelay.observe((now - batch.get(0).arrivedNanos()) / 1e9);
        boolean behind =
                now - batch.get(0).arrivedNanos() > limits.partialBacklog().toNanos();
        int sampleRate = batch.get(0).frame().sampleRate();
        int total = 0;
        for (Pending p : batch) {
            total += p.frame().samples().length;
            trackGap(p.frame());
        }
        short[] pcm = new short[total];
        int at = 0;
        for (Pending p : batch) {
            System.arraycopy(p.frame().samples(), 0, pcm, at, p.frame().samples().length);
            at += p.frame().samples().length;
        }
        long started = System.nanoTime();
        long chunksBefore = recognizer.chunksDecoded();
        List<AsrResult> results = recognizer.acceptAudio(pcm, sampleRate);
        long decoded = System.nanoTime();
        metrics.decodeSeconds.inc((decoded - started) / 1e9);
        if (recognizer.chunksDecoded() > chunksBefore) {
            metrics.observeChunkLatency((decoded - batch.get(0).arrivedNanos()) / 1e9);
        }
        publish(results, batch.get(batch.size() - 1).arrivedNanos(), behind);
    }

    /** Audio missing from the leg (hold, frames dropped upstream) shifts later captions in call time. */
    private void trackGap(AudioFrame frame) {
        if (frame.timestampMs() > expectedTimestampMs) {
            skippedMs += frame.timestampMs() - expectedTimestampMs;
        }
        expectedTimestampMs = frame.timestampMs() + frame.durationMs();
    }

    private void publish(List<AsrResult> results, long audioArrivedNanos, boolean skipPartials) {
        for (AsrResult r : results) {
            if (!r.isFinal() && skipPartials) {
                // the revision is used up all the same: a final's id does not depend on how busy the service was
                events.skipRevision(leg.legId(), segmentPrefix + r.segment());
                metrics.partialsSkipped.inc();
                continue;
            }
            long offset = legOffsetMs + skippedMs;
            List<Word> words = new ArrayList<>(r.words().size());
            for (TimedWord w : r.words()) {
                words.add(new Word(
                        w.text(), offset + w.startMs(), offset + Math.max(w.startMs(), w.endMs()), w.confidence()));
            }
            String segmentId = segmentPrefix + r.segment();
            long start = offset + r.startMs();
            long end = offset + Math.max(r.startMs(), r.endMs());
            if (r.isFinal()) {
                held.add(new HeldFinal(
                        new CallEventFactory.Final(segmentId, start, end, r.text(), words, r.confidence()),
                        audioArrivedNanos));
                heldForContinuation = false;
                if (finalHold.isZero() || held.size() >= MAX_HELD_FINALS || !events.mayContinue(words)) {
                    publishHeldFinals();
                } else {
                    heldUntilNanos = System.nanoTime() + finalHold.toNanos();
                    decoders.schedule(this::wakeUp, finalHold.toMillis() + 1, TimeUnit.MILLISECONDS);
                }
            } else {
                // a partial's last word may still be half spoken ("at s" for "at six"): decide on the words before it
                List<Word> spoken = words.isEmpty() ? words : words.subList(0, words.size() - 1);
                if (!held.isEmpty() && !heldForContinuation && !spoken.isEmpty()) {
                    if (events.continuesRun(held.get(held.size() - 1).caption().words(), spoken)) {
                        heldForContinuation = true; // until this utterance's final
                    } else if (spoken.size() > 1) { // a first word alone may be the misheard start of more digits
                        publishHeldFinals();
                    }
                }
                sink.publish(events.partial(
                        leg.legId(),
                        role,
                        segmentId,
                        start,
                        end,
                        r.text(),
                        words,
                        r.confidence(),
                        Math.min(r.stablePrefixLength(), r.text().length())));
                metrics.observePartialLatency((System.nanoTime() - audioArrivedNanos) / 1e9);
                metrics.captions.labelValues("partial").inc();
            }
        }
    }

    private void publishInterruption() {
        String code;
        String message;
        synchronized (this) {
            code = interruptedCode;
            message = interruptedMessage;
        }
        if (code != null) {
            metrics.legErrors.inc();
            sink.publish(events.legError(leg.legId(), role, code, message));
        }
    }

    /** The held finals, redacted as one, to the sink (their latency includes the hold). */
    private void publishHeldFinals() {
        if (held.isEmpty()) {
            return;
        }
        List<CaptionEvent> captions = events.finalCaptions(
                leg.legId(), role, held.stream().map(HeldFinal::caption).toList());
        for (int i = 0; i < captions.size(); i++) {
            CaptionEvent caption = captions.get(i);
            sink.publish(caption);
            caption.redactions()
                    .forEach(hidden ->
                            metrics.redactions.labelValues(hidden.label()).inc());
            metrics.observeFinalLatency((System.nanoTime() - held.get(i).audioArrivedNanos()) / 1e9);
            metrics.captions.labelValues("final").inc();
        }
        held.clear();
    }

    /** A hold ran out: decode (publishing the held finals) even if no audio arrives. */
    private void wakeUp() {
        synchronized (this) {
            try {
                scheduleLocked();
            } catch (RejectedExecutionException e) {
                // the service is stopping: the end of the leg publishes what is held
            }
        }
    }

    private void fail(RuntimeException e) {
        failed = true;
        try {
            publishHeldFinals(); // recognised before the failure: not lost with it
        } catch (RuntimeException again) {
            log.warn("leg {} of call {}: held finals lost: {}", leg.legId(), leg.callId(), again.toString());
        }
        metrics.legErrors.inc();
        log.error("captioning of leg {} of call {} failed: {}", leg.legId(), leg.callId(), e.toString());
        sink.publish(events.legError(leg.legId(), role, LegError.DECODER_FAILED, String.valueOf(e.getMessage())));
        synchronized (this) {
            queue.clear();
            queuedSamples = 0;
        }
    }
}
