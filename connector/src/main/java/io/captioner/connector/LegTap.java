package io.captioner.connector;

import io.captioner.connector.audiosocket.AudioSocketSession;
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

    boolean paused() {
        return primary.paused && (secondary == null || secondary.paused);
    }
}
