package io.captioner.asr.search;

/**
 * Options of the CTC prefix beam search (WeNet's {@code CtcPrefixBeamSearchOptions}).
 *
 * @param beamSize prefixes kept after each frame (WeNet's second beam, default 10)
 * @param firstBeamSize tokens considered per frame, the frame's top-k (default 10)
 */
public record SearchOptions(int beamSize, int firstBeamSize) {
    /** WeNet's runtime defaults: keep 10 prefixes, extend by the top 10 tokens of each frame. */
    public static final SearchOptions DEFAULTS = new SearchOptions(10, 10);

    public SearchOptions {
        if (beamSize < 1 || firstBeamSize < 1) {
            throw new IllegalArgumentException(
                    "beam sizes must be at least 1, got beam " + beamSize + ", first beam " + firstBeamSize);
        }
    }
}
