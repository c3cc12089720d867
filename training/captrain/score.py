"""WER and CER of a Kaldi-style hypothesis file (`id<TAB>text`, what `./captioner transcribe`
prints) against a reference `text` file; or of a whole tree of them (`bench/lm-tuning/run.sh`).

  python3 -m captrain.score --ref work/data/dev_voice/text --hyp hyp.txt [--json out.json]
  python3 -m captrain.score --tree OUT --data-root work/data [--json out.json]
    (OUT/SETTING/SET.txt against work/data/SET/text: one table row per setting)

Every reference utterance counts; one missing from the hypotheses counts as all deletions.
"""
import argparse
import json
import os


def edit_distance(ref, hyp):
    """Levenshtein distance between two sequences (words or characters)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def read_text(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(None, 1)
            if parts:
                table[parts[0]] = parts[1].strip() if len(parts) > 1 else ""
    return table


def error_rates(ref, hyp):
    """{wer, cer, words, chars, utterances} in percent, over all reference utterances."""
    word_errors = words = char_errors = chars = 0
    for utt, ref_text in ref.items():
        hyp_text = hyp.get(utt, "")
        word_errors += edit_distance(ref_text.split(), hyp_text.split())
        words += len(ref_text.split())
        char_errors += edit_distance(list(ref_text), list(hyp_text))
        chars += len(ref_text)
    return {
        "wer": 100.0 * word_errors / max(words, 1),
        "cer": 100.0 * char_errors / max(chars, 1),
        "words": words,
        "chars": chars,
        "utterances": len(ref),
    }


def score_tree(tree, data_root):
    """{setting: {set: rates}} for every OUT/SETTING/SET.txt, plus "all" per setting: the utterance
    sets pooled (sets named *_calls are left out of it, as they repeat those sentences, and *_fresh, whose
    sentences come from another source and are reported alone)."""
    table = {}
    for setting in sorted(os.listdir(tree)):
        files = sorted(f for f in os.listdir(os.path.join(tree, setting)) if f.endswith(".txt"))
        row, ref_all, hyp_all = {}, {}, {}
        for f in files:
            name = f[:-4]
            ref = read_text(os.path.join(data_root, name, "text"))
            hyp = read_text(os.path.join(tree, setting, f))
            row[name] = error_rates(ref, hyp)
            if not name.endswith(("_calls", "_fresh")):
                ref_all.update(ref)
                hyp_all.update(hyp)
        row["all"] = error_rates(ref_all, hyp_all)
        table[setting] = row
    return table


def print_table(table):
    sets = list(next(iter(table.values())))
    print("| setting | " + " | ".join(f"{s} WER / CER" for s in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for setting, row in table.items():
        print(f"| {setting} | " + " | ".join(f"{row[s]['wer']:.1f} / {row[s]['cer']:.1f}" for s in sets) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref")
    ap.add_argument("--hyp")
    ap.add_argument("--tree")
    ap.add_argument("--data-root")
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.tree:
        table = score_tree(args.tree, args.data_root)
        print_table(table)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(table, f, indent=1)
        return
    rates = error_rates(read_text(args.ref), read_text(args.hyp))
    print(f"WER {rates['wer']:.1f}% CER {rates['cer']:.1f}% ({rates['words']} words, {rates['utterances']} utterances)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rates, f)


if __name__ == "__main__":
    main()
