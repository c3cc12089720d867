package io.captioner.connector.audiosocket;

/**
 * What the service asked Asterisk for when it dialled a tap.
 *
 * @param sampleRate 8000 for {@code c(slin)}, 16000 for {@code c(slin16)}
 * @param stereo     ChanSpy option {@code D}: interleaved stereo (left = tapped party, right = what it hears)
 */
public record TapFormat(int sampleRate, boolean stereo) {
    public int channels() {
        return stereo ? 2 : 1;
    }

    /** Payload bytes of a 20 ms slin frame. */
    public int slinFrameBytes() {
        return sampleRate / 50 * 2 * channels();
    }
}
