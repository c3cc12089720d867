package io.captioner.connector.sim;

import io.captioner.asr.audio.G711;

/** Builds AudioSocket payloads from simulated audio. */
final class SimFrames {
    private SimFrames() {}

    static byte[] slin(PartyAudio audio, long from, int count) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            short s = audio.sample(from + i);
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    static byte[] stereo(PartyAudio left, PartyAudio right, long from, int count) {
        byte[] out = new byte[count * 4];
        for (int i = 0; i < count; i++) {
            short l = left.sample(from + i);
            short r = right == null ? 0 : right.sample(from + i);
            out[4 * i] = (byte) l;
            out[4 * i + 1] = (byte) (l >> 8);
            out[4 * i + 2] = (byte) r;
            out[4 * i + 3] = (byte) (r >> 8);
        }
        return out;
    }

    static byte[] g711(PartyAudio audio, long from, int count, G711.Law law) {
        short[] pcm = new short[count];
        for (int i = 0; i < count; i++) {
            pcm[i] = audio.sample(from + i);
        }
        return G711.encode(pcm, law);
    }
}
