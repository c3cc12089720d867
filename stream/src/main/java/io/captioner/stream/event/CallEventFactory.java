package io.captioner.stream.event;

import static io.captioner.stream.event.Checks.nonBlank;
import static io.captioner.stream.event.Checks.nonNull;

import io.captioner.stream.redact.CallRedactor;
import io.captioner.stream.redact.RedactedWords;
import io.captioner.stream.redact.RedactionRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the events of one call with deterministic ids ({@code call:leg:segment:revision} for captions),
 * revision numbers per utterance and the counts reported at the end. Every caption passes the call's
 * {@link CallRedactor} here, so no event can carry what the redaction rules hide. Thread-safe. Sequence numbers are left
 * {@link StreamEvent#UNASSIGNED}: the publisher assigns them in publishing order.
 */
public final class CallEventFactory {
    private final String callId;
    private final Instant callStart;
    private final ModelInfo model;
    private final Clock clock;
    private final CallRedactor redactor;
    /**
     * When this factory began the call's events (ms, base 36). A service restarted after a crash makes a
     * new factory for a call in progress; the ids it would otherwise repeat carry this.
     */
    private final String run;

    private final Map<String, Integer> nextRevision = new HashMap<>();
    private final Set<String> finishedSegments = new HashSet<>();
    private final Map<String, Integer> legErrors = new HashMap<>();
    private long partials;
    private long finals;
    private long errors;

    public CallEventFactory(String callId, Instant callStart, ModelInfo model, Clock clock, RedactionRules redaction) {
        this.callId = nonBlank("callId", callId);
        if (callId.contains(":")) {
            throw new IllegalArgumentException("callId must not contain ':' (it separates event id parts): " + callId);
        }
        this.callStart = nonNull("callStart", callStart);
        this.model = nonNull("model", model);
        this.clock = nonNull("clock", clock);
        this.redactor = new CallRedactor(nonNull("redaction", redaction));
        this.run = Long.toString(clock.millis(), 36);
    }

    /** This run of the call's events, for the ids that a restarted service must not repeat (segment ids). */
    public String run() {
        return run;
    }

    public String callId() {
        return callId;
    }

    public Instant callStart() {
        return callStart;
    }

    public CallStarted callStarted(String callerNumber, String calledNumber, List<LegInfo> legs) {
        return new CallStarted(
                StreamEvent.SCHEMA_VERSION,
                EventType.CALL_STARTED,
                callId + ":started:" + run,
                callId,
                StreamEvent.UNASSIGNED,
                clock.instant(),
                callStart,
                callerNumber,
                calledNumber,
                legs);
    }

    /**
     * A partial of the utterance {@code segmentId} that is not published (the leg is behind): its revision number
     * is used up all the same, so that the final's id counts every partial the decoding made, however busy the
     * service was, and an instance that decodes the same audio again names the final alike.
     */
    public synchronized void skipRevision(String legId, String segmentId) {
        nextRevision.merge(segmentKey(legId, segmentId), 1, Integer::sum);
    }

    /**
     * A new revision of the utterance {@code segmentId}'s text; {@code stablePrefixLength} chars will not change.
     * Runs of digits that could become sensitive are masked (the final decides what they were).
     */
    public synchronized CaptionEvent partial(
            String legId,
            Role role,
            String segmentId,
            long startMs,
            long endMs,
            String text,
            List<Word> words,
            double confidence,
            int stablePrefixLength) {
        RedactedWords masked = redactor.maskPartial(words);
        if (!masked.redactions().isEmpty()) {
            // the text before the first masked word is unchanged; from there on the old prefix no longer holds
            int firstMasked =
                    masked.text().indexOf("[" + masked.redactions().get(0).label() + "]");
            text = masked.text();
            stablePrefixLength = Math.min(stablePrefixLength, firstMasked);
        }
        CaptionEvent event = caption(
                legId,
                role,
                segmentId,
                true,
                startMs,
                endMs,
                text,
                masked.words(),
                masked.redactions(),
                confidence,
                stablePrefixLength);
        partials++;
        return event;
    }

    /** The final (rescored) caption of one utterance of a leg, before redaction. */
    public record Final(String segmentId, long startMs, long endMs, String text, List<Word> words, double confidence) {}

    /**
     * The final (rescored) text of the utterance {@code segmentId}; no caption of it may follow. When the
     * redaction rules hide spans of it, {@code text} becomes its redacted words (any inverse text
     * normalisation of that caption is dropped with them).
     */
    public CaptionEvent finalCaption(
            String legId,
            Role role,
            String segmentId,
            long startMs,
            long endMs,
            String text,
            List<Word> words,
            double confidence) {
        return finalCaptions(legId, role, List.of(new Final(segmentId, startMs, endMs, text, words, confidence)))
                .get(0);
    }

    /**
     * The finals of consecutive utterances of one leg, redacted as one (a number split over them by a pause
     * is hidden as a whole); otherwise as {@link #finalCaption} each.
     */
    public synchronized List<CaptionEvent> finalCaptions(String legId, Role role, List<Final> utterances) {
        List<RedactedWords> redacted =
                redactor.redactFinals(utterances.stream().map(Final::words).toList());
        List<CaptionEvent> events = new ArrayList<>();
        for (int i = 0; i < utterances.size(); i++) {
            Final u = utterances.get(i);
            RedactedWords r = redacted.get(i);
            String text = r.redactions().isEmpty() ? u.text() : r.text();
            events.add(caption(
                    legId,
                    role,
                    u.segmentId(),
                    false,
                    u.startMs(),
                    u.endMs(),
                    text,
                    r.words(),
                    r.redactions(),
                    u.confidence(),
                    text == null ? 0 : text.length()));
            finishedSegments.add(segmentKey(legId, u.segmentId()));
            finals++;
        }
        return events;
    }

    /** Whether a final ends in digits its leg's next final may go on (see {@link CallRedactor#mayContinue}). */
    public synchronized boolean mayContinue(List<Word> words) {
        return redactor.mayContinue(words);
    }

    /** Whether the digits a final ended in go on into the leg's next words (see {@link CallRedactor#continuesRun}). */
    public synchronized boolean continuesRun(List<Word> finalWords, List<Word> nextWords) {
        return redactor.continuesRun(finalWords, nextWords);
    }

    public synchronized LegError legError(String legId, Role role, String code, String message) {
        nonBlank("legId", legId);
        int n = legErrors.merge(legId, 1, Integer::sum);
        errors++;
        Instant now = clock.instant();
        return new LegError(
                StreamEvent.SCHEMA_VERSION,
                EventType.LEG_ERROR,
                callId + ":" + legId + ":error:" + run + "-" + n,
                callId,
                StreamEvent.UNASSIGNED,
                now,
                legId,
                role,
                code,
                message,
                msSinceStart(now));
    }

    public synchronized CallEnded callEnded(String reason) {
        Instant now = clock.instant();
        return new CallEnded(
                StreamEvent.SCHEMA_VERSION,
                EventType.CALL_ENDED,
                callId + ":ended",
                callId,
                StreamEvent.UNASSIGNED,
                now,
                reason,
                msSinceStart(now),
                partials,
                finals,
                errors);
    }

    private CaptionEvent caption(
            String legId,
            Role role,
            String segmentId,
            boolean partial,
            long startMs,
            long endMs,
            String text,
            List<Word> words,
            List<Redaction> redactions,
            double confidence,
            int stablePrefixLength) {
        nonBlank("legId", legId);
        nonBlank("segmentId", segmentId);
        if (legId.contains(":") || segmentId.contains(":")) {
            throw new IllegalArgumentException(
                    "legId and segmentId must not contain ':', got legId=" + legId + " segmentId=" + segmentId);
        }
        String key = segmentKey(legId, segmentId);
        if (finishedSegments.contains(key)) {
            throw new IllegalStateException("segment " + segmentId + " of leg " + legId + " of call " + callId
                    + " already has its final caption");
        }
        int revision = nextRevision.getOrDefault(key, 0);
        CaptionEvent event = new CaptionEvent(
                StreamEvent.SCHEMA_VERSION,
                partial ? EventType.PARTIAL_CAPTION : EventType.FINAL_CAPTION,
                callId + ":" + legId + ":" + segmentId + ":" + revision,
                callId,
                StreamEvent.UNASSIGNED,
                clock.instant(),
                legId,
                role,
                segmentId,
                revision,
                partial,
                startMs,
                endMs,
                callStart.plusMillis(startMs),
                text,
                words,
                redactions,
                confidence,
                stablePrefixLength,
                model);
        nextRevision.put(key, revision + 1);
        if (!partial) {
            nextRevision.remove(key);
        }
        return event;
    }

    private long msSinceStart(Instant now) {
        return Math.max(0, Duration.between(callStart, now).toMillis());
    }

    private static String segmentKey(String legId, String segmentId) {
        return legId + ":" + segmentId;
    }
}
