package io.captioner.asr.model;

/**
 * Output of the attention decoder for N hypotheses: {@code l2r} [N][L][V] log-probabilities of the
 * left-to-right decoder (row j predicts token j, row n predicts eos) and {@code r2l} the same for
 * the right-to-left decoder over the reversed tokens, or null when the export has none.
 */
public record DecoderScores(float[][][] l2r, float[][][] r2l) {}
