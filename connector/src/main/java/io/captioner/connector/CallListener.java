package io.captioner.connector;

/**
 * What the connector tells its user (the captioning service). Nothing here depends on Asterisk.
 *
 * <p>Threading: every callback of one connector is invoked on one Vert.x worker context, one at a
 * time and in order (so a leg's {@code onLegTapped} comes before its audio and {@code onLegEnded}
 * after its last frame). Callbacks never run on Asterisk-Java's threads or on the network event
 * loop. A slow callback delays delivery only: audio waits in a bounded buffer per leg and the
 * oldest frames are dropped (and counted in {@link ConnectorCounters#framesDropped()}) when the
 * buffer is full. Hand audio to your own workers instead of decoding inside {@link #onAudio}.
 */
public interface CallListener {

    /** The call was chosen for captioning; comes before any of its legs. */
    default void onCallStarted(CallInfo call) {}

    /**
     * The dialplan set a channel variable on one of the call's channels (AMI VarSet): the ones set
     * before captioning started come right after {@link #onCallStarted}, later ones as they are set.
     */
    default void onCallVariable(CallInfo call, String name, String value) {}

    /** A tap on the leg delivers audio; frames of the leg follow. */
    default void onLegTapped(TappedLeg leg) {}

    /** PCM of one leg (stereo taps arrive already split into the two parties' legs). */
    default void onAudio(TappedLeg leg, AudioFrame frame) {}

    /** The leg was put on hold: no audio is delivered for it until {@link #onLegResumed}. */
    default void onLegPaused(TappedLeg leg) {}

    default void onLegResumed(TappedLeg leg) {}

    /** A DTMF digit pressed on the leg (reported from AMI, never transcribed). */
    default void onDtmf(TappedLeg leg, char digit) {}

    /** The leg's audio has ended (hangup, transfer away, connector stop); no more frames follow. */
    default void onLegEnded(TappedLeg leg, String reason) {}

    /** Tapping the leg failed after {@code attempts} tries; the leg gets no captions. */
    default void onTapFailed(TappedLeg leg, String reason, int attempts) {}

    /** The call ended; comes after all its legs ended. */
    default void onCallEnded(CallInfo call, String reason) {}
}
