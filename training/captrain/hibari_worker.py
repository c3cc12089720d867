"""Speaks sentences with a voice that hibari-tts bundles (on PyPI; its wheel holds `heart`, a small model distilled
from Kokoro-82M's American English voice af_heart), for captrain.synth; runs under the interpreter that
has it (training/setup.sh pypi puts it in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/hibari_worker.py
Reads one JSON object a line, {"voice", "text", "speed", "seed", "out"}, writes a 24 kHz wav to "out" and
answers "ok" (or "error: ..."), one line each; voices are loaded once. hibari's own front end reads the
text; "seed" fixes the noise component of its vocoder, so that one request always gives the same audio.

Optional "pitch" and "vocal_tract" factors move the voice to another speaker before the waveform exists.
hibari's network predicts a source-filter description of the speech (an F0 curve, and spectral envelopes
that shape a pulse train, noise and a free-phase part), and its vocoder makes the wav from that. So the F0
curve is multiplied by "pitch", and every envelope is stretched along the frequency axis by "vocal_tract":
a shorter vocal tract (factor above 1) puts every formant higher. Both at 1 give hibari's own voice.
Three more change how the speaker sounds rather than who. "intonation" scales the F0 curve's excursions
around its median in log frequency (below 1 a flatter melody, above 1 a livelier one). "breath" adds
aspiration to the voiced frames: noise shaped like the harmonic envelope, at that fraction of its
amplitude (hibari's own noise there is about 40 dB below the speech; at 0.06 the aspiration is about 13 dB
below). "tilt" adds a slope to the log harmonic envelopes, from 0 at the bottom bin to "tilt" at the top
(below 0 a softer, darker voice, above 0 a brighter, pressed one). Their defaults (1, 0, 0) leave the
voice as it is.
"british": true reads the text with hibari's British front end (its spelling-to-sound rules for British
voices) instead of the American one, so the same voice speaks with British vowels.
"""
import json
import sys

import numpy as np
from hibari import Hibari, dsp
from hibari.g2p import G2P
from hibari.tts import write_wav


def stretch_frequencies(envelope, factor):
    """envelope [bins, frames] with the content of bin k moved to bin k * factor (read off by linear
    interpolation; above the top bin the last value holds)."""
    bins = np.arange(envelope.shape[0], dtype=np.float32)
    source = np.minimum(bins / factor, bins[-1])
    low = np.floor(source).astype(np.int64)
    high = np.minimum(low + 1, len(bins) - 1)
    w = (source - low)[:, None]
    return ((1 - w) * envelope[low] + w * envelope[high]).astype(np.float32)


def scale_excursions(f0, voiced, factor, lowest_hz=50.0):
    """f0 [frames] with every voiced frame's log F0 moved from the voiced median by factor times as far;
    unvoiced frames stay as they are, and no voiced frame falls below lowest_hz (above the 40 Hz under
    which hibari's vocoder reads a frame as unvoiced)."""
    if not voiced.any():
        return f0
    log_f0 = np.log(f0[voiced])
    centre = np.median(log_f0)
    moved = f0.copy()
    moved[voiced] = np.maximum(np.exp(centre + factor * (log_f0 - centre)), lowest_hz)
    return moved


def speak(tts, text, speed, seed, pitch=1.0, vocal_tract=1.0, intonation=1.0, breath=0.0, tilt=0.0):
    rng = np.random.default_rng(seed)
    parts = []
    for phonemes in tts.phonemize(text):
        ids = tts.ids(phonemes)
        if len(ids) < 3:
            continue
        outputs = tts.sess.run(None, {"ids": np.asarray([ids], np.int64), "speed": np.asarray([speed], np.float32)})
        lh, th, ln, lr, phi, f0 = (o[0] for o in outputs)
        if tilt != 0.0:
            slope = np.linspace(0, tilt, lh.shape[0], dtype=np.float32)[:, None]
            lh, lr = lh + slope, lr + slope
        voiced = f0 >= 40.0
        f0 = f0 * np.float32(pitch)
        if intonation != 1.0:
            f0 = scale_excursions(f0, voiced, intonation)
        if breath > 0.0:
            aspiration = np.where(voiced[None, :], lh + np.float32(np.log(breath)), -np.inf)
            ln = np.logaddexp(ln, aspiration).astype(np.float32)
        envelopes = [lh, th, ln, lr, phi]
        if vocal_tract != 1.0:
            envelopes = [stretch_frequencies(e, vocal_tract) for e in envelopes]
        parts.append(dsp.synth(*envelopes, f0, rng))
    if not parts:
        raise ValueError(f"hibari made no speech of {text!r}")
    return np.concatenate(parts)


def main():
    voices = {}
    for line in sys.stdin:
        try:
            request = json.loads(line)
            key = request["voice"], request.get("british", False)
            if key not in voices:
                voices[key] = Hibari(voice=key[0], threads=1, g2p=G2P(british=True) if key[1] else None)
            audio = speak(
                voices[key],
                request["text"],
                request["speed"],
                request["seed"],
                request.get("pitch", 1.0),
                request.get("vocal_tract", 1.0),
                request.get("intonation", 1.0),
                request.get("breath", 0.0),
                request.get("tilt", 0.0),
            )
            write_wav(request["out"], audio)
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
