"""The general-English vocabulary the word language model adds to the words of its training text.

The recipe's text (templates, WordNet examples, fortunes) lacks common words a caller says: about 5% of
the running words of general English (wordfreq's estimate) fall outside it ("website", "download",
"regarding"), and the decoder can only spell an outside word at the unknown-word penalty. This writes
the most frequent English words (wordfreq) that a dictionary (Debian's wamerican and wbritish) also
lists, lowercase, one per line, for `captrain.lm build --vocabulary`.

Runs in the PyPI virtual environment (training/setup.sh pypi), so it imports nothing of captrain:
  work/pypi-venv/bin/python -m captrain.vocabulary --top 50000 --out work/vocabulary.txt \
      --dictionary /usr/share/dict/american-english --dictionary /usr/share/dict/british-english \
      [--coverage lm.arpa.gz]
--coverage reports the share of general English's running words (wordfreq's frequencies of its 200,000
most frequent words) outside that LM's vocabulary, and outside it with the list added.
"""
import argparse
import gzip
import re

import wordfreq

SPELLABLE = re.compile(r"[a-z]+('[a-z]+)?")


def dictionary_words(paths):
    """Lowercased entries that are words or names (not acronyms such as "USA", which are spoken as letters)."""
    words = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="ignore") as f:
            for line in f:
                entry = line.strip()
                if entry and entry[1:] == entry[1:].lower() and SPELLABLE.fullmatch(entry.lower()):
                    words.add(entry.lower())
    return words


def arpa_vocabulary(path):
    words, in_unigrams = set(), False
    with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("\\"):
                in_unigrams = line.startswith("\\1-grams")
            elif in_unigrams and line.strip():
                words.add(line.split()[1])
    return words


def outside_share(vocabulary):
    """Share of general English's running words (letters and apostrophes only) outside `vocabulary`."""
    total = outside = 0.0
    for word in wordfreq.top_n_list("en", 200000):
        if SPELLABLE.fullmatch(word) and word not in ("ll", "ve", "re"):  # wordfreq's contraction pieces
            frequency = wordfreq.word_frequency(word, "en")
            total += frequency
            outside += frequency * (word not in vocabulary)
    return outside / total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=50000, help="wordfreq's most frequent English words to consider")
    ap.add_argument("--dictionary", action="append", required=True, help="a word list, one entry per line")
    ap.add_argument("--out", required=True)
    ap.add_argument("--coverage", help="an ARPA LM whose vocabulary's coverage of general English to report")
    args = ap.parse_args()
    known = dictionary_words(args.dictionary)
    words = [w for w in wordfreq.top_n_list("en", args.top) if w in known]
    with open(args.out, "w", encoding="utf-8") as f:
        f.writelines(w + "\n" for w in words)
    print(f"{args.out}: {len(words)} of wordfreq's top {args.top} English words are in the dictionaries")
    if args.coverage:
        vocabulary = arpa_vocabulary(args.coverage)
        print(
            f"general English outside {args.coverage}'s {len(vocabulary)} words: {100 * outside_share(vocabulary):.1f}%; "
            f"with this list added: {100 * outside_share(vocabulary | set(words)):.1f}%"
        )


if __name__ == "__main__":
    main()
