package io.captioner.connector;

import io.captioner.connector.audiosocket.AudioSocketSession;
import io.vertx.core.Vertx;
import java.util.UUID;

/**
 * The tap of a channel: a sequence of attempts, each an AMI Originate of an AudioSocket channel
 * running ChanSpy with its own UUID. A stereo tap feeds two legs (the tapped party and its peer).
 */
final class LegTap {
    final Leg primary;
    final Leg secondary;
    int attempts;
    UUID uuid;
    AudioSocketSession session;
    boolean spyConfirmed;
    boolean audioSeen;
    long lastAudioNanos;
    long connectTimer = -1;
    long watchdogTimer = -1;
    boolean done;

    LegTap(Leg primary, Leg secondary) {
        this.primary = primary;
        this.secondary = secondary;
    }

    /** Starts the next attempt: a fresh UUID, with nothing connected, confirmed or heard yet. */
    UUID newAttempt() {
        attempts++;
        uuid = UUID.randomUUID();
        session = null;
        spyConfirmed = false;
        audioSeen = false;
        return uuid;
    }

    /** The attempt's connection came: it no longer needs the connect timer. */
    void cancelConnectTimer(Vertx vertx) {
        if (connectTimer >= 0) {
            vertx.cancelTimer(connectTimer);
            connectTimer = -1;
        }
    }

    /** The attempt is over: neither its connect timer nor its no-audio watchdog may fire. */
    void cancelTimers(Vertx vertx) {
        cancelConnectTimer(vertx);
        if (watchdogTimer >= 0) {
            vertx.cancelTimer(watchdogTimer);
            watchdogTimer = -1;
        }
    }

    boolean paused() {
        return primary.paused && (secondary == null || secondary.paused);
    }
}
