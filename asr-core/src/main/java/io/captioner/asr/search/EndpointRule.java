package io.captioner.asr.search;

/** Which of WeNet's endpoint rules fired. */
public enum EndpointRule {
    /** Rule 1: long silence, whether or not anything was decoded. */
    LONG_SILENCE,
    /** Rule 2: trailing silence after something was decoded. */
    TRAILING_SILENCE,
    /** Rule 3: the utterance reached its maximum length. */
    MAX_UTTERANCE
}
