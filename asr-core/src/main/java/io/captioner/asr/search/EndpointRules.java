package io.captioner.asr.search;

/**
 * WeNet's three endpoint rules; an endpoint is declared when any of them fires.
 *
 * @param rule1SilenceMs rule 1: trailing silence this long ends the utterance even if nothing was
 *     decoded (WeNet 5000)
 * @param rule2TrailingSilenceMs rule 2: trailing silence this long ends it once something was
 *     decoded (WeNet 1000)
 * @param rule3MaxUtteranceMs rule 3: the utterance reaching this length ends it (WeNet 20000)
 * @param blankThreshold a frame is silence when its blank probability is above this (WeNet 0.8)
 */
public record EndpointRules(
        long rule1SilenceMs, long rule2TrailingSilenceMs, long rule3MaxUtteranceMs, double blankThreshold) {

    /** WeNet's runtime defaults. */
    public static final EndpointRules DEFAULTS = new EndpointRules(5000, 1000, 20000, 0.8);

    public EndpointRules {
        if (rule1SilenceMs <= 0 || rule2TrailingSilenceMs <= 0 || rule3MaxUtteranceMs <= 0) {
            throw new IllegalArgumentException(String.format(
                    "endpoint rule lengths must be positive, got rule1 %d ms, rule2 %d ms, rule3 %d ms",
                    rule1SilenceMs, rule2TrailingSilenceMs, rule3MaxUtteranceMs));
        }
        if (!(blankThreshold > 0 && blankThreshold < 1)) {
            throw new IllegalArgumentException(
                    "endpoint blank threshold must lie strictly between 0 and 1, got " + blankThreshold);
        }
    }
}
