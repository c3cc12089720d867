package io.captioner.connector;

/**
 * A piece of one leg's audio: signed 16-bit mono PCM.
 *
 * @param samples     PCM samples; the array belongs to the receiver
 * @param sampleRate  samples per second
 * @param sequence    0, 1, 2, ... per leg, counted over every frame the tap produced (a gap means
 *                    frames were dropped because the consumer fell behind)
 * @param timestampMs position of the first sample, in ms of leg audio since the leg's tap started
 */
public record AudioFrame(short[] samples, int sampleRate, long sequence, long timestampMs) {
    public long durationMs() {
        return samples.length * 1000L / sampleRate;
    }
}
