package io.captioner.connector;

/**
 * One tapped direction of a call: the voice of one party.
 *
 * @param callId     Linkedid of the call
 * @param legId      Uniqueid of the Asterisk channel whose voice this is
 * @param role       caller or agent
 * @param sampleRate samples per second of the frames delivered for this leg (8000 or 16000)
 * @param channel    Asterisk channel name of the leg
 */
public record TappedLeg(String callId, String legId, LegRole role, int sampleRate, String channel) {}
