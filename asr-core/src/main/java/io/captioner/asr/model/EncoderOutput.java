package io.captioner.asr.model;

/** Encoder output of one chunk, [frames, dim] row-major, and the CTC log-probabilities of those frames. */
public record EncoderOutput(float[] hidden, int frames, int dim, float[][] ctcLogProbs) {}
