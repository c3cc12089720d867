package io.captioner.asr.fbank;

/**
 * Moves one leg's fbank frames part of the way from the leg's own mean speech frame towards the training
 * audio's: {@code x − strength · (legSpeechMean − trainingSpeechMean)}. An unseen voice or line shifts the
 * whole spectrum; this takes part of the shift off before the model's global CMVN. Both means are over the
 * frames whose mean log energy lies above {@code gateEnergy} (the training audio's mean frame energy), so
 * that a leg's pauses, comfort noise and digital silence do not drag its mean. The leg's mean is a running
 * one that starts at the training mean as if it had seen {@code priorFrames} such frames of it, and goes on
 * across the leg's utterances (one speaker, one line). Not thread-safe; one per stream.
 */
public final class FeatureMeanNormalizer {
    private final float[] trainingSpeechMean;
    private final double gateEnergy;
    private final double strength;
    private final double[] sum;
    private double count;

    public FeatureMeanNormalizer(float[] trainingMean, float[] trainingSpeechMean, double strength, int priorFrames) {
        if (!(strength > 0 && strength <= 1) || priorFrames < 1) {
            throw new IllegalArgumentException("strength must lie in (0, 1] and prior frames be 1 or more, got "
                    + strength + " and " + priorFrames);
        }
        this.trainingSpeechMean = trainingSpeechMean.clone();
        this.gateEnergy = meanOf(trainingMean);
        this.strength = strength;
        this.count = priorFrames;
        this.sum = new double[trainingSpeechMean.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = priorFrames * (double) trainingSpeechMean[i];
        }
    }

    /** Normalises the frames in place, each with the leg's mean speech frame up to it; returns them. */
    public float[][] apply(float[][] frameRows) {
        for (float[] row : frameRows) {
            if (meanOf(row) > gateEnergy) {
                count++;
                for (int i = 0; i < row.length; i++) {
                    sum[i] += row[i];
                }
            }
            for (int i = 0; i < row.length; i++) {
                row[i] -= (float) (strength * (sum[i] / count - trainingSpeechMean[i]));
            }
        }
        return frameRows;
    }

    private static double meanOf(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
