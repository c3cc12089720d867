package io.captioner.connector.sim;

import io.captioner.asr.audio.G711;
import io.captioner.connector.audiosocket.AudioSocketKind;
import java.util.List;

/**
 * The 20 ms frames a ChanSpy tap sends of the channel it spies, in the format its AudioSocket dial string
 * asked for (or the one a script forces): the spied party's own voice, what it hears from the other members
 * of its bridge, both mixed, or both in a stereo frame. Unless media is continuous, a frame is empty once
 * what it would carry has been digital silence for {@value FakeAsterisk#SILENCE_SUPPRESSION_MS} ms.
 *
 * <p>Threading: one tap's thread asks for its frames; the bridge it reads may change on the scheduler thread.
 */
final class TapAudio {
    private final int kind;
    private final int rate;
    private final int frameSamples;
    private final G711.Law law;
    private final boolean stereo;
    private final boolean ownOnly;
    private final boolean continuousMedia;
    private final PartyAudio own;
    private final HeardAudio heard;
    private long cursor;

    /**
     * @param codec    what the dial string asked for ({@code slin}, {@code slin16}, {@code ulaw}, {@code alaw})
     * @param options  ChanSpy's options: {@code D} stereo (own and heard), {@code o} the spied party only
     */
    TapAudio(
            SimChannel target,
            String codec,
            String options,
            SimulatedCall.TapCodec tapCodec,
            boolean continuousMedia,
            long nowNanos) {
        law = switch (tapCodec) {
            case ULAW -> G711.Law.ULAW;
            case ALAW -> G711.Law.ALAW;
            case AS_REQUESTED -> codec.equals("ulaw") ? G711.Law.ULAW : codec.equals("alaw") ? G711.Law.ALAW : null;
        };
        rate = law != null ? 8000 : codec.equals("slin16") ? 16000 : 8000;
        frameSamples = rate / 50;
        kind = law != null ? AudioSocketKind.SLIN_8K : AudioSocketKind.forSampleRate(rate);
        stereo = options.contains("D");
        ownOnly = options.contains("o");
        this.continuousMedia = continuousMedia;
        cursor = Math.max(0, target.speechIndex(nowNanos, rate));
        own = target.voice == null ? PartyAudio.silence(0, rate) : target.voice.at(rate);
        heard = new HeardAudio(target, rate);
    }

    /** The AudioSocket message kind of the frames. */
    int kind() {
        return kind;
    }

    /** The next frame's payload; empty while the party is silent (no media). */
    byte[] nextFrame() {
        long from = cursor;
        cursor += frameSamples;
        PartyAudio heardNow = heard.get();
        if (!continuousMedia) {
            long quietFrom = from - (long) rate * FakeAsterisk.SILENCE_SUPPRESSION_MS / 1000;
            int quiet = (int) (from + frameSamples - quietFrom);
            if (own.silent(quietFrom, quiet) && (ownOnly || heardNow == null || heardNow.silent(quietFrom, quiet))) {
                return new byte[0];
            }
        }
        if (stereo) {
            return SimFrames.stereo(own, heardNow, from, frameSamples);
        }
        PartyAudio audio = ownOnly ? own : mix(own, heardNow, from, frameSamples);
        long at = ownOnly ? from : 0;
        return law != null ? SimFrames.g711(audio, at, frameSamples, law) : SimFrames.slin(audio, at, frameSamples);
    }

    /** n samples from 'from' of a plus b. */
    private static PartyAudio mix(PartyAudio a, PartyAudio b, long from, int n) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            int sum = a.sample(from + i) + (b == null ? 0 : b.sample(from + i));
            out[i] = (short) Math.max(-32768, Math.min(32767, sum));
        }
        return new PartyAudio(a.sampleRate(), out);
    }

    /** What a channel hears: the voice of another member of its bridge, re-timed onto its own timeline. */
    private static final class HeardAudio {
        private final SimChannel self;
        private final int rate;
        private SimChannel peer;
        private PartyAudio audio;

        HeardAudio(SimChannel self, int rate) {
            this.self = self;
            this.rate = rate;
        }

        PartyAudio get() {
            SimBridge b = self.bridge;
            SimChannel current = null;
            if (b != null) {
                for (SimChannel other : List.copyOf(b.members)) {
                    if (other != self && other.voice != null) {
                        current = other;
                        break;
                    }
                }
            }
            if (current != peer) {
                peer = current;
                audio = current == null ? null : shifted(current, self, rate);
            }
            return audio;
        }

        private static PartyAudio shifted(SimChannel other, SimChannel self, int rate) {
            PartyAudio v = other.voice.at(rate);
            long offset = (other.voiceStartNanos - self.voiceStartNanos) * rate / 1_000_000_000L;
            short[] out = new short[(int) Math.max(0, v.length() + offset)];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.sample(i - offset);
            }
            return new PartyAudio(rate, out);
        }
    }
}
