package io.captioner.connector;

/**
 * One leg's audio on the call's real time line. Asterisk sends nothing while a tapped party is silent
 * (ChanSpy's audiohook has no frame to give when the channel produces no media: silence suppression,
 * dialplan waits, a muted phone), so the frame count alone loses every pause. The leg's position is
 * kept level with the wall clock since the tap started: when a frame arrives more than
 * {@code silenceAfter} behind it, the difference is silence that belongs before the frame, and once no
 * frame came for {@code silenceAfter}, every tick owes the silence since the last one, so that
 * endpoints fire on time. Frames late by less are jitter (late, then in a burst) and change nothing;
 * a short silence taken for jitter is made up at the next longer one, so positions never drift.
 */
final class LegTimeline {
    private final int sampleRate;
    private final long silenceAfterNanos;
    private final long startNanos;
    private long lastFrameNanos;
    private long samples;

    LegTimeline(int sampleRate, long silenceAfterNanos, long startNanos) {
        this.sampleRate = sampleRate;
        this.silenceAfterNanos = silenceAfterNanos;
        this.startNanos = startNanos;
        this.lastFrameNanos = startNanos;
    }

    /** Samples of silence that belong before a frame of {@code frameSamples} arriving at {@code nowNanos}. */
    int silenceBeforeFrame(long nowNanos, int frameSamples) {
        lastFrameNanos = nowNanos;
        long behind = samplesBehind(nowNanos) - frameSamples;
        return behind > silenceAfterNanos * sampleRate / 1_000_000_000L ? (int) behind : 0;
    }

    /** Samples of silence owed at a tick: none until no frame came for {@code silenceAfter}, then all that is behind. */
    int silenceAtTick(long nowNanos) {
        if (nowNanos - lastFrameNanos <= silenceAfterNanos) {
            return 0;
        }
        return (int) Math.max(0, samplesBehind(nowNanos));
    }

    /** Accounts for {@code count} samples (audio or silence) and returns the position of the first, in ms. */
    long advance(int count) {
        long startMs = samples * 1000 / sampleRate;
        samples += count;
        return startMs;
    }

    private long samplesBehind(long nowNanos) {
        return (nowNanos - startNanos) * sampleRate / 1_000_000_000L - samples;
    }
}
