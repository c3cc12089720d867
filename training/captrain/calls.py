"""Long call-leg streams from held-out utterances: a few seconds of silence, then sentences with
1-10 s pauses between them, as one leg of a call sounds to the tap. Evaluates endpointing and the
model's long left context together with recognition (the utterance sets test sentences alone).

  python3 -m captrain.calls --out work/data/dev_calls --data work/data/dev_accent --data work/data/dev_voice

Each stream joins `--per-call` consecutive utterances of one set (dev_voice: one voice). Pauses
are digital silence half of the time (the runtime turns it into comfort noise) and the line's own
noise otherwise (the quietest stretch of the utterance before, repeated). The transcript is the
sentences' texts joined.
"""
import argparse
import os
import random
import wave

import numpy as np

from . import data
from .synth import SAMPLE_RATE, write_wav


def read_pcm(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError(f"{path}: expected 8 kHz 16-bit mono")
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def line_noise(pcm, samples):
    """The quietest 100 ms of an utterance, tiled to `samples`: the line's noise floor."""
    frame = SAMPLE_RATE // 10
    starts = range(0, max(1, len(pcm) - frame), frame)
    quietest = min(starts, key=lambda s: float(np.mean(pcm[s : s + frame].astype(np.float64) ** 2)))
    return np.resize(pcm[quietest : quietest + frame], samples)


def make_calls(items, per_call, rng):
    """[(call id, pcm, text)] from [(utt, wav, text)]."""
    calls = []
    for start in range(0, len(items) - per_call + 1, per_call):
        group = items[start : start + per_call]
        pieces, texts = [np.zeros(int(SAMPLE_RATE * rng.uniform(2, 6)), np.int16)], []
        for i, (_, path, text) in enumerate(group):
            pcm = read_pcm(path)
            if i:
                gap = int(SAMPLE_RATE * rng.uniform(1, 10))
                pieces.append(np.zeros(gap, np.int16) if rng.random() < 0.5 else line_noise(pcm, gap))
            pieces.append(pcm)
            texts.append(text)
        calls.append((f"{group[0][0]}-call", np.concatenate(pieces), " ".join(texts)))
    return calls


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--per-call", type=int, default=6)
    ap.add_argument("--seed", type=int, default=99)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    calls = []
    for d in args.data:
        calls += make_calls(data.read_data_dir(d), args.per_call, rng)
    with open(os.path.join(args.out, "wav.scp"), "w") as scp, open(os.path.join(args.out, "text"), "w") as txt:
        for call_id, pcm, text in calls:
            path = os.path.abspath(os.path.join(args.out, "wav", call_id + ".wav"))
            write_wav(path, pcm.tobytes())
            scp.write(f"{call_id} {path}\n")
            txt.write(f"{call_id} {text}\n")
    hours = sum(len(c[1]) for c in calls) / SAMPLE_RATE / 3600
    print(f"{args.out}: {len(calls)} streams, {hours:.2f} h")


if __name__ == "__main__":
    main()
