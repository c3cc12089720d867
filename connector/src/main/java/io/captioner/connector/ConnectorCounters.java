package io.captioner.connector;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals for metrics. Thread-safe; read at any time. */
public final class ConnectorCounters {
    final AtomicLong framesReceived = new AtomicLong();
    final AtomicLong framesDelivered = new AtomicLong();
    final AtomicLong framesDropped = new AtomicLong();
    final AtomicLong framesOnHold = new AtomicLong();
    final AtomicLong silenceFrames = new AtomicLong();
    final AtomicLong tapsRequested = new AtomicLong();
    final AtomicLong tapsStarted = new AtomicLong();
    final AtomicLong tapAttemptsFailed = new AtomicLong();
    final AtomicLong tapsFailed = new AtomicLong();
    final AtomicLong connectionsRejected = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong amiConnects = new AtomicLong();
    final AtomicLong amiDisconnects = new AtomicLong();

    /** Audio frames read from AudioSocket connections (a stereo frame counts once). */
    public long framesReceived() {
        return framesReceived.get();
    }
    /** Leg frames handed to {@link CallListener#onAudio}. */
    public long framesDelivered() {
        return framesDelivered.get();
    }
    /** Leg frames dropped because a leg's buffer was full (slow listener). */
    public long framesDropped() {
        return framesDropped.get();
    }
    /** Leg frames discarded because the leg was on hold. */
    public long framesOnHold() {
        return framesOnHold.get();
    }
    /** Leg frames of silence put on a leg's time line for a pause in its tap's frames (a silent party). */
    public long silenceFrames() {
        return silenceFrames.get();
    }
    /** AMI Originates sent for taps (retries included). */
    public long tapsRequested() {
        return tapsRequested.get();
    }
    /** Taps that delivered audio. */
    public long tapsStarted() {
        return tapsStarted.get();
    }
    /** Tap attempts that failed (each may be retried). */
    public long tapAttemptsFailed() {
        return tapAttemptsFailed.get();
    }
    /** Legs given up after all attempts. */
    public long tapsFailed() {
        return tapsFailed.get();
    }
    /** AudioSocket connections refused (source not allowed, unknown or reused UUID). */
    public long connectionsRejected() {
        return connectionsRejected.get();
    }
    /** AudioSocket connections closed for a protocol violation. */
    public long protocolErrors() {
        return protocolErrors.get();
    }
    /** Successful AMI logins (the first one and every reconnect). */
    public long amiConnects() {
        return amiConnects.get();
    }
    /** AMI connections lost. */
    public long amiDisconnects() {
        return amiDisconnects.get();
    }

    @Override
    public String toString() {
        return "ConnectorCounters{framesReceived=" + framesReceived + ", framesDelivered=" + framesDelivered
                + ", framesDropped=" + framesDropped + ", framesOnHold=" + framesOnHold + ", silenceFrames="
                + silenceFrames
                + ", tapsRequested=" + tapsRequested + ", tapsStarted=" + tapsStarted
                + ", tapAttemptsFailed=" + tapAttemptsFailed + ", tapsFailed=" + tapsFailed
                + ", connectionsRejected=" + connectionsRejected + ", protocolErrors=" + protocolErrors
                + ", amiConnects=" + amiConnects + ", amiDisconnects=" + amiDisconnects + "}";
    }
}
