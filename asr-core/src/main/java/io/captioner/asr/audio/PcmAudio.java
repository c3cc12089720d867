package io.captioner.asr.audio;

/** Mono 16-bit linear PCM at a known sample rate. */
public record PcmAudio(int sampleRate, short[] samples) {
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
