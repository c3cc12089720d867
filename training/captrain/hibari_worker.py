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


def speak(tts, text, speed, seed, pitch=1.0, vocal_tract=1.0):
    rng = np.random.default_rng(seed)
    parts = []
    for phonemes in tts.phonemize(text):
        ids = tts.ids(phonemes)
        if len(ids) < 3:
            continue
        outputs = tts.sess.run(None, {"ids": np.asarray([ids], np.int64), "speed": np.asarray([speed], np.float32)})
        *envelopes, f0 = (o[0] for o in outputs)
        if vocal_tract != 1.0:
            envelopes = [stretch_frequencies(e, vocal_tract) for e in envelopes]
        parts.append(dsp.synth(*envelopes, f0 * np.float32(pitch), rng))
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
            )
            write_wav(request["out"], audio)
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
