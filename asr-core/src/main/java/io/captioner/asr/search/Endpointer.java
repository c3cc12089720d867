package io.captioner.asr.search;

import io.captioner.asr.fbank.Fbank;
import java.util.Optional;

/**
 * WeNet's CTC endpoint detector: counts the frames of the current utterance and its trailing
 * silence (frames whose blank probability exceeds the threshold) and checks the three rules after
 * each chunk. Not thread-safe: one per stream.
 */
public final class Endpointer {
    private final EndpointRules rules;
    private final int frameShiftMs;
    private final float blankThreshold;
    private long frames;
    private long trailingSilentFrames;

    /**
     * @param frameShiftMs milliseconds per CTC frame: 10 × the encoder's subsampling rate
     */
    public Endpointer(EndpointRules rules, int frameShiftMs) {
        if (frameShiftMs <= 0) {
            throw new IllegalArgumentException("frame shift must be positive, got " + frameShiftMs + " ms");
        }
        this.rules = rules;
        this.frameShiftMs = frameShiftMs;
        this.blankThreshold = (float) rules.blankThreshold();
    }

    /** Milliseconds per CTC frame for a model with this subsampling rate. */
    public static int frameShiftMs(int subsamplingRate) {
        return Fbank.FRAME_SHIFT_MS * subsamplingRate;
    }

    /** Starts a new utterance. */
    public void reset() {
        frames = 0;
        trailingSilentFrames = 0;
    }

    /**
     * Takes the CTC log-probabilities of the next chunk and tells whether the utterance ends here.
     *
     * @param logProbs the chunk's frames; column 0 is blank
     * @param decodedSomething whether the best hypothesis has any token
     * @return the first rule that fires (rule 1, 2, 3 in order), or empty
     */
    public Optional<EndpointRule> advance(float[][] logProbs, boolean decodedSomething) {
        for (float[] frame : logProbs) {
            if (frame.length == 0) {
                throw new IllegalArgumentException("endpointing got a frame without log-probabilities");
            }
            frames++;
            if ((float) Math.exp(frame[0]) > blankThreshold) {
                trailingSilentFrames++;
            } else {
                trailingSilentFrames = 0;
            }
        }
        long silenceMs = trailingSilenceMs();
        if (silenceMs >= rules.rule1SilenceMs()) {
            return Optional.of(EndpointRule.LONG_SILENCE);
        }
        if (decodedSomething && silenceMs >= rules.rule2TrailingSilenceMs()) {
            return Optional.of(EndpointRule.TRAILING_SILENCE);
        }
        if (utteranceMs() >= rules.rule3MaxUtteranceMs()) {
            return Optional.of(EndpointRule.MAX_UTTERANCE);
        }
        return Optional.empty();
    }

    /** Length of the current utterance so far. */
    public long utteranceMs() {
        return frames * frameShiftMs;
    }

    /** Length of the silence at the end of the current utterance. */
    public long trailingSilenceMs() {
        return trailingSilentFrames * frameShiftMs;
    }
}
