"""Word n-gram language model: interpolated modified Kneser-Ney estimation, ARPA output, perplexity.

  python3 -m captrain.lm build --text corpus.txt [--text more.txt] --order 3 --out lm.arpa.gz
  python3 -m captrain.lm perplexity --lm lm.arpa.gz --text dev.txt

Text files hold one sentence per line (a Kaldi `text` file's utterance ids are dropped with
--kaldi). Estimation follows Chen & Goodman's interpolated modified Kneser-Ney, as KenLM's lmplz
does: three discounts per order from the count-of-counts, continuation counts for the lower
orders (raw counts for n-grams that start with <s>), and unigrams interpolated with a uniform
distribution over the vocabulary, whose share is <unk>'s probability. Words of a --vocabulary file
that the text never uses join the vocabulary with that same share each (SRILM's -vocab), so the decoder
can spell them without the unknown-word penalty.
"""
import argparse
import gzip
import math
import sys
from collections import defaultdict

BOS, EOS, UNK = "<s>", "</s>", "<unk>"


def read_sentences(paths, kaldi=False):
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                words = line.split()
                if kaldi:
                    words = words[1:]
                if words:
                    yield words


def count_ngrams(sentences, order):
    """counts[k][(w1..wk)] = raw count, for k = 1..order, over sentences padded with <s> and </s>."""
    counts = [None] + [defaultdict(int) for _ in range(order)]
    for words in sentences:
        padded = [BOS] + words + [EOS]
        for k in range(1, order + 1):
            for i in range(len(padded) - k + 1):
                gram = tuple(padded[i : i + k])
                if gram == (BOS,):
                    continue  # <s> is never predicted
                counts[k][gram] += 1
    return counts


def adjusted_counts(counts, order):
    """Kneser-Ney counts: the raw count at the highest order and for n-grams starting with <s>,
    elsewhere the number of distinct words seen before the n-gram."""
    adjusted = [None] + [defaultdict(int) for _ in range(order)]
    adjusted[order] = dict(counts[order])
    for k in range(order - 1, 0, -1):
        for gram in counts[k + 1]:
            adjusted[k][gram[1:]] += 1
        for gram, c in counts[k].items():
            if gram[0] == BOS:
                adjusted[k][gram] = c
    return adjusted


def discounts(adjusted_k):
    """(D1, D2, D3+) from the count-of-counts (Chen & Goodman), kept in [0, c]."""
    n = [0] * 5
    for c in adjusted_k.values():
        if c <= 4:
            n[c] += 1
    if min(n[1:5]) == 0:
        return (0.5, 1.0, 1.5)  # too little data for the estimate: fixed, conservative discounts
    y = n[1] / (n[1] + 2 * n[2])
    d = (1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3])
    return tuple(min(max(x, 0.0), float(i + 1)) for i, x in enumerate(d))


def estimate(counts, order, extra_vocabulary=()):
    """{k: {gram: (log10 prob, log10 backoff or None)}} of an interpolated modified KN model; words of
    extra_vocabulary that the counts lack get the uniform share of an unseen word."""
    adjusted = adjusted_counts(counts, order)
    seen = {g[0] for g in counts[1]}
    unseen = set(extra_vocabulary) - seen - {BOS, EOS, UNK}
    vocab = seen | unseen | {UNK}
    probs = {}
    backoffs = {}
    for k in range(1, order + 1):
        d = discounts(adjusted[k])
        by_context = defaultdict(list)
        for gram, c in adjusted[k].items():
            by_context[gram[:-1]].append((gram, c))
        for context, grams in by_context.items():
            total = sum(c for _, c in grams)
            mass = sum(d[min(c, 3) - 1] for _, c in grams)
            gamma = mass / total
            for gram, c in grams:
                discounted = (c - d[min(c, 3) - 1]) / total
                lower = probs[gram[1:]] if k > 1 else 1.0 / len(vocab)
                probs[gram] = discounted + gamma * lower
            backoffs[context] = gamma
        if k == 1:
            for word in unseen | {UNK}:
                probs[(word,)] = backoffs[()] / len(vocab)
    model = {k: {} for k in range(1, order + 1)}
    for gram, p in probs.items():
        model[len(gram)][gram] = (math.log10(p), backoffs.get(gram))
    model[1][(BOS,)] = (-99.0, backoffs.get((BOS,)))
    # a context of a higher order that is not itself an n-gram (possible only for <s> chains) gets an entry
    for context, gamma in backoffs.items():
        if context and context not in model[len(context)]:
            model[len(context)][context] = (-99.0, gamma)
    return model


def write_arpa(model, path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.write("\n\\data\\\n")
        for k in sorted(model):
            f.write(f"ngram {k}={len(model[k])}\n")
        for k in sorted(model):
            f.write(f"\n\\{k}-grams:\n")
            for gram in sorted(model[k]):
                logp, backoff = model[k][gram]
                line = f"{logp:.6f}\t{' '.join(gram)}"
                if backoff is not None and k < len(model):
                    line += f"\t{math.log10(backoff) if backoff > 0 else -99.0:.6f}"
                f.write(line + "\n")
        f.write("\n\\end\\\n")


def read_arpa(path):
    """{k: {gram: (log10 prob, log10 backoff)}}; for perplexity and tests (the runtime has its own reader)."""
    opener = gzip.open if path.endswith(".gz") else open
    model, k = {}, 0
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("ngram ") or line in ("\\data\\", "\\end\\"):
                continue
            if line.startswith("\\") and line.endswith("-grams:"):
                k = int(line[1 : line.index("-")])
                model[k] = {}
                continue
            fields = line.split()
            gram = tuple(fields[1 : 1 + k])
            backoff = float(fields[1 + k]) if len(fields) > 1 + k else 0.0
            model[k][gram] = (float(fields[0]), backoff)
    return model


def log10_prob(model, history, word):
    """Backed-off log10 P(word | history) of an ARPA model."""
    order = max(model)
    if (word,) not in model[1]:
        word = UNK
    history = tuple(history[-(order - 1) :]) if order > 1 else ()
    backoff = 0.0
    for start in range(len(history) + 1):
        context = history[start:]
        gram = context + (word,)
        entry = model.get(len(gram), {}).get(gram)
        if entry is not None:
            return entry[0] + backoff
        ctx = model.get(len(context), {}).get(context) if context else None
        if ctx is not None:
            backoff += ctx[1]
    raise AssertionError("unreachable: every model has <unk>")


def perplexity(model, sentences):
    """(perplexity, OOV words, words + sentence ends scored) over sentences, </s> included."""
    total, n, oov = 0.0, 0, 0
    vocab = model[1]
    for words in sentences:
        history = [BOS]
        for w in words + [EOS]:
            if (w,) not in vocab:
                oov += 1
            total += log10_prob(model, history, w)
            n += 1
            history.append(w)
    return 10 ** (-total / max(n, 1)), oov, n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="estimate an ARPA model from text")
    b.add_argument("--text", action="append", required=True)
    b.add_argument("--kaldi", action="store_true", help="lines start with an utterance id")
    b.add_argument("--order", type=int, default=3)
    b.add_argument("--vocabulary", help="more words for the vocabulary, one per line (captrain.vocabulary)")
    b.add_argument("--out", required=True)
    p = sub.add_parser("perplexity", help="perplexity of an ARPA model on text")
    p.add_argument("--lm", required=True)
    p.add_argument("--text", action="append", required=True)
    p.add_argument("--kaldi", action="store_true")
    args = ap.parse_args()
    if args.command == "build":
        if not 1 <= args.order <= 5:
            sys.exit(f"--order must be between 1 and 5, got {args.order}")
        extra = []
        if args.vocabulary:
            with open(args.vocabulary, encoding="utf-8") as f:
                extra = [w for line in f for w in line.split()[:1]]
        model = estimate(count_ngrams(read_sentences(args.text, args.kaldi), args.order), args.order, extra)
        write_arpa(model, args.out)
        print(f"{args.out}: order {args.order}, " + ", ".join(f"{len(model[k])} {k}-grams" for k in sorted(model)))
    else:
        ppl, oov, n = perplexity(read_arpa(args.lm), list(read_sentences(args.text, args.kaldi)))
        print(f"perplexity {ppl:.1f} over {n} words and sentence ends, {oov} out of vocabulary")


if __name__ == "__main__":
    main()
