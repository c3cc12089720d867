package io.captioner.connector.audiosocket;

/**
 * PCM of one AudioSocket audio message.
 *
 * @param own   the tapped party's voice (left channel of a stereo tap)
 * @param heard what the tapped party hears (right channel of a stereo tap), null for mono taps
 */
public record DecodedAudio(short[] own, short[] heard, int sampleRate) {}
