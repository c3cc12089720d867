"""A held-out set from sentences written by hand: each line of a text file spoken once by each
held-out voice (flite rms and the held-out espeak-ng accent), untransformed, through the telephone
channel, as the recipe's other held-out sets are.

  python3 -m captrain.devset --text devtext/fresh.txt --out work/data/dev_fresh

The recipe's own held-out sentences come from the same generators as its training sentences and its
language model's text (templates, WordNet's examples, fortunes). Sentences from elsewhere show how
much of the LM's gain carries over to what callers really say.
"""
import argparse
import os
import random
import re

from .synth import HELDOUT_FLITE, Utterance, heldout_accent_voice, write_set

SENTENCE = re.compile(r"[a-z']+( [a-z']+)*")


def read_sentences(path):
    """The file's sentences: one per line, lower-case words and apostrophes, single spaces (as the
    recipe's transcripts are written); blank lines and lines starting with # are skipped."""
    sentences = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not SENTENCE.fullmatch(line):
                raise ValueError(f"{path}:{number}: expected lower-case words and apostrophes, got {line!r}")
            sentences.append(line)
    return sentences


def heldout_utterances(sentences, seed):
    """[Utterance]: every sentence in the held-out flite voice, then every sentence in the held-out accent."""
    rng = random.Random(seed)
    flite = [Utterance([s], HELDOUT_FLITE, False, None) for s in sentences]
    return flite + [Utterance([s], heldout_accent_voice(rng), False, None) for s in sentences]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", required=True, help="one sentence per line")
    ap.add_argument("--out", required=True, help="the data directory to write")
    ap.add_argument("--seed", type=int, default=4321)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    name = os.path.basename(os.path.normpath(args.out))
    write_set(args.out, name, heldout_utterances(read_sentences(args.text), args.seed), args.seed, args.jobs)


if __name__ == "__main__":
    main()
