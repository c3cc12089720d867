package io.captioner.asr.fbank;

/** Kaldi's triangular mel filters over the power spectrum bins (mel = 1127·ln(1 + f/700)). */
final class MelBanks {
    private final int[] firstBin;
    private final double[][] weights;

    MelBanks(int numBins, int fftSize, int sampleRate, double lowFreq, double highFreq) {
        int spectrumBins = fftSize / 2;
        double binWidth = (double) sampleRate / fftSize;
        double melLow = mel(lowFreq);
        double melHigh = mel(highFreq);
        double delta = (melHigh - melLow) / (numBins + 1);
        firstBin = new int[numBins];
        weights = new double[numBins][];
        for (int b = 0; b < numBins; b++) {
            double left = melLow + b * delta;
            double center = left + delta;
            double right = center + delta;
            int first = -1;
            int last = -1;
            double[] full = new double[spectrumBins];
            for (int k = 0; k < spectrumBins; k++) {
                double m = mel(binWidth * k);
                if (m > left && m < right) {
                    full[k] = m <= center ? (m - left) / (center - left) : (right - m) / (right - center);
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                first = 0;
                last = -1;
            }
            firstBin[b] = first;
            weights[b] = java.util.Arrays.copyOfRange(full, first, last + 1);
        }
    }

    double apply(int bin, double[] power) {
        double[] w = weights[bin];
        int first = firstBin[bin];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * power[first + i];
        }
        return sum;
    }

    static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }
}
