"""The general-English vocabulary the word language model adds to the words of its training text.

The recipe's text (templates, WordNet examples, fortunes) lacks common words a caller says: about 5% of
the running words of general English (wordfreq's estimate) fall outside it ("website", "download",
"regarding"), and the decoder can only spell an outside word at the unknown-word penalty. This writes
the most frequent English words (wordfreq) that a dictionary (Debian's wamerican and wbritish) also
lists, lowercase, one per line, for `captrain.lm build --vocabulary`.

Runs in the PyPI virtual environment (training/setup.sh pypi), so it imports nothing of captrain:
  work/pypi-venv/bin/python -m captrain.vocabulary --top 50000 --out work/vocabulary.txt \
      --dictionary /usr/share/dict/american-english --dictionary /usr/share/dict/british-english
"""
import argparse
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=50000, help="wordfreq's most frequent English words to consider")
    ap.add_argument("--dictionary", action="append", required=True, help="a word list, one entry per line")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    known = dictionary_words(args.dictionary)
    words = [w for w in wordfreq.top_n_list("en", args.top) if w in known]
    with open(args.out, "w", encoding="utf-8") as f:
        f.writelines(w + "\n" for w in words)
    print(f"{args.out}: {len(words)} of wordfreq's top {args.top} English words are in the dictionaries")


if __name__ == "__main__":
    main()
