package io.captioner.asr.fbank;

/**
 * Moves one leg's fbank frames part of the way from the leg's own mean frame towards the mean frame of the
 * model's training audio: {@code x − strength · (legMean − trainingMean)}. An unseen voice or line shifts
 * the whole spectrum; this takes part of the shift off before the model's global CMVN. The leg's mean is a
 * running one that starts at the training mean as if it had seen {@code priorFrames} frames of it, so the
 * first second of a leg is barely moved; it goes on across the leg's utterances (one speaker, one line).
 * Not thread-safe; one per stream.
 */
public final class FeatureMeanNormalizer {
    private final float[] trainingMean;
    private final double strength;
    private final double priorFrames;
    private final double[] sum;
    private long frames;

    public FeatureMeanNormalizer(float[] trainingMean, double strength, int priorFrames) {
        if (!(strength > 0 && strength <= 1) || priorFrames < 1) {
            throw new IllegalArgumentException("strength must lie in (0, 1] and prior frames be 1 or more, got "
                    + strength + " and " + priorFrames);
        }
        this.trainingMean = trainingMean.clone();
        this.strength = strength;
        this.priorFrames = priorFrames;
        this.sum = new double[trainingMean.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = priorFrames * (double) trainingMean[i];
        }
    }

    /** Normalises the frames in place, each with the mean of the frames up to it; returns them. */
    public float[][] apply(float[][] frameRows) {
        for (float[] row : frameRows) {
            frames++;
            double count = priorFrames + frames;
            for (int i = 0; i < row.length; i++) {
                sum[i] += row[i];
                row[i] -= (float) (strength * (sum[i] / count - trainingMean[i]));
            }
        }
        return frameRows;
    }
}
