"""Word error rate of an exported model directory (or a training checkpoint) on a Kaldi-style
data set (wav.scp + text), streaming (chunk 16, all history) and/or full context, with CTC
prefix beam search and with attention rescoring.

  python3 -m captrain.evaluate --model-dir models/u2pp-moe-telephony --data DIR [--data DIR2 ...]

The weights are read back from the ONNX files into the PyTorch model (the Java runtime runs the
same graphs); streaming is evaluated as the full forward under the chunk-16 mask, which equals
chunk-by-chunk decoding (see tests/test_streaming.py).
"""
import argparse
import json
import os
import time

import torch

from . import checkpoint, data, decode, features
from .export import load_from_onnx
from .score import error_rates


def decode_set(model, items, chunk_size, batch=8, beam=10, ctc_weight=0.5):
    """items: [(utt, wav, text)] → {utt: {"ctc": text, "rescore": text}}."""
    feats = {utt: features.fbank(features.read_wav(path)) for utt, path, _ in items}
    order = sorted(feats, key=lambda u: feats[u].size(0))
    results = {}
    for i in range(0, len(order), batch):
        utts = order[i : i + batch]
        lens = torch.tensor([feats[u].size(0) for u in utts])
        x = torch.zeros(len(utts), int(lens.max()), features.NUM_MEL_BINS)
        for b, u in enumerate(utts):
            x[b, : lens[b]] = feats[u]
        with torch.no_grad():
            enc, keep = model.encoder(x, lens, chunk_size)
            logp = model.ctc_log_probs(enc)
        enc_lens = keep.squeeze(1).sum(1)
        for b, u in enumerate(utts):
            n = int(enc_lens[b])
            nbest = decode.ctc_prefix_beam_search(logp[b, :n], beam)
            _, best = decode.attention_rescoring(model, enc[b : b + 1, :n], nbest, ctc_weight)
            results[u] = {"ctc": data.tokens_to_text(nbest[0][0]), "rescore": data.tokens_to_text(nbest[best][0])}
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model-dir", help="exported model directory (encoder.onnx, ctc.onnx, decoder.onnx)")
    src.add_argument("--checkpoint", help="training checkpoint (last.pt)")
    ap.add_argument("--data", action="append", required=True, help="Kaldi-style dir with wav.scp and text")
    ap.add_argument("--modes", default="streaming,full", help="streaming (chunk 16) and/or full")
    ap.add_argument("--limit", type=int, default=0, help="only the first N utterances of each set")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (one is fastest on this recipe's sizes)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = load_from_onnx(args.model_dir)[0] if args.model_dir else checkpoint.load_model(args.checkpoint)
    chunk_of = {"streaming": 16, "full": 0}
    report = []
    for d in args.data:
        items = data.read_data_dir(d)
        if args.limit:
            items = items[: args.limit]
        for mode in args.modes.split(","):
            started = time.time()
            results = decode_set(model, items, chunk_of[mode])
            for key, name in (("ctc", "ctc_prefix_beam"), ("rescore", "attention_rescoring")):
                rates = error_rates(
                    {utt: data.tokens_to_text(data.text_to_tokens(text)) for utt, _, text in items},
                    {utt: results[utt][key] for utt, _, _ in items},
                )
                w, c, words = rates["wer"], rates["cer"], rates["words"]
                row = {
                    "data": os.path.normpath(d),
                    "mode": mode,
                    "decoder": name,
                    "wer": round(w, 2),
                    "cer": round(c, 2),
                    "utterances": len(items),
                    "words": words,
                }
                report.append(row)
                print(
                    f"{row['data']:40s} {mode:9s} {name:20s} WER {w:6.2f}% CER {c:6.2f}%  ({len(items)} utts, "
                    f"{words} words,"
                    f" {time.time() - started:.0f}s)",
                    flush=True,
                )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
