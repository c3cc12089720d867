"""Train a U2++ (dense or MoE) model on a prepared data dir, with periodic checkpoints and resume.

  python3 -m captrain.train --data work/data/train --exp work/exp/dense --experts 0 ...
Rerunning the same command resumes from <exp>/last.pt.
"""
import argparse
import json
import math
import os
import signal
import time

import numpy as np
import torch

from . import data
from .export import load_from_onnx
from .model import ModelConfig, U2Model, count_parameters, dynamic_chunk_size
from .score import edit_distance


def lr_at(step, peak, warmup):
    step = max(step, 1)
    return peak * min(step / warmup, math.sqrt(warmup / step))


def greedy_ctc_wer(model, cache, device, utterances=40):
    """Word error rate of greedy CTC (full context) on the first utterances of a held-out cache: a
    cheap progress signal, since the loss alone does not show when CTC leaves its blank plateau."""
    model.eval()
    errors = words = 0
    with torch.no_grad():
        for i in range(min(utterances, len(cache["utts"]))):
            feats, lens, ys, ys_lens = data.collate(cache, [i])
            enc, _ = model.encoder(feats.to(device), lens.to(device))
            best = model.ctc_log_probs(enc)[0].argmax(-1).tolist()
            tokens = [t for j, t in enumerate(best) if t != data.BLANK and (j == 0 or t != best[j - 1])]
            ref = data.tokens_to_text(ys[0, :int(ys_lens[0])].tolist()).split()
            errors += edit_distance(ref, data.tokens_to_text(tokens).split())
            words += len(ref)
    model.train()
    return 100.0 * errors / max(words, 1)


def save_checkpoint(path, model, opt, state):
    tmp = path + ".tmp"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state,
                "config": model.cfg.to_dict()}, tmp)
    os.replace(tmp, path)


def load_model(path):
    ckpt = torch.load(path, map_location="cpu")
    model = U2Model(ModelConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, help="Kaldi-style dir with wav.scp and text")
    ap.add_argument("--cache", required=True, help="feature cache file for --data")
    ap.add_argument("--exp", required=True)
    ap.add_argument("--experts", type=int, default=0)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--d-model", type=int, default=112)
    ap.add_argument("--ffn-dim", type=int, default=448)
    ap.add_argument("--encoder-blocks", type=int, default=6)
    ap.add_argument("--ctc-weight", type=float, default=0.5,
                    help="share of the CTC loss; CTC drives the partials and the n-best, and a higher share "
                         "than WeNet's 0.3 gets it off its plateau sooner in short runs")
    ap.add_argument("--max-frames", type=int, default=6000, help="padded input frames per batch")
    ap.add_argument("--max-steps", type=int, default=3000)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (and checkpoint) after this long")
    ap.add_argument("--peak-lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=1500,
                    help="300 updates at peak 2e-3 killed most subsampling-conv channels")
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--dev", help="held-out data dir: greedy CTC WER on 40 of its utterances is logged")
    ap.add_argument("--dev-cache", help="feature cache file for --dev")
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--init-from", help="an exported model directory of this recipe to go on training from "
                    "(its size, weights, update count and hours seen; the optimizer starts afresh), when "
                    "<exp>/last.pt does not exist yet")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.exp, exist_ok=True)
    cache = data.prepare_features(args.data, args.cache)
    last = os.path.join(args.exp, "last.pt")
    cfg = ModelConfig(vocab_size=len(data.UNITS), d_model=args.d_model, ffn_dim=args.ffn_dim,
                      encoder_blocks=args.encoder_blocks, num_experts=args.experts, ctc_weight=args.ctc_weight,
                      moe_top_k=args.top_k, sos=data.SOS_EOS, eos=data.SOS_EOS)
    model = U2Model(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=args.peak_lr, betas=(0.9, 0.98), eps=1e-9)
    state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "seconds": 0.0, "audio_seconds": 0.0}
    if os.path.exists(last):
        ckpt = torch.load(last, map_location="cpu")
        cfg = ModelConfig(**ckpt["config"])  # the run's own size, whatever the command line says now
        model = U2Model(cfg)
        opt = torch.optim.Adam(model.parameters(), lr=args.peak_lr, betas=(0.9, 0.98), eps=1e-9)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        state = ckpt["state"]
        print(f"resumed from {last} at step {state['step']}", flush=True)
    elif args.init_from:
        model, meta = load_from_onnx(args.init_from)
        cfg = model.cfg
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=args.peak_lr, betas=(0.9, 0.98), eps=1e-9)
        state["step"] = int(meta.get("training_updates", 0))
        state["audio_seconds"] = float(meta.get("training_audio_hours", 0)) * 3600
        print(f"initialised from {args.init_from} at update {state['step']}, "
              f"{state['audio_seconds'] / 3600:.1f} h seen", flush=True)
    else:
        mean, istd = data.global_cmvn(cache)
        model.encoder.global_cmvn.mean.copy_(mean)
        model.encoder.global_cmvn.istd.copy_(istd)
    total, active = count_parameters(model)
    with open(os.path.join(args.exp, "train_args.json"), "w") as f:
        json.dump({"args": vars(args), "config": cfg.to_dict(), "params_total": total,
                   "params_active": active, "utterances": len(cache["utts"]),
                   "corpus_hours": float(cache["lengths"].sum()) / 100 / 3600}, f, indent=1)
    print(f"params total {total} active {active}; corpus {len(cache['utts'])} utts, "
          f"{cache['lengths'].sum() / 360000:.2f} h", flush=True)

    dev_cache = data.prepare_features(args.dev, args.dev_cache) if args.dev else None
    device = torch.device(args.device)
    model.to(device)
    model.train()
    stop_requested = []
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append(True))
    started = time.time()
    base_seconds = state["seconds"]
    log_loss, log_n, log_t = 0.0, 0, time.time()
    while state["step"] < args.max_steps:
        batches = data.make_batches(cache, args.max_frames, args.seed, state["epoch"])
        while state["batch_in_epoch"] < len(batches) and state["step"] < args.max_steps:
            idx = batches[state["batch_in_epoch"]]
            aug = np.random.default_rng(args.seed * 100003 + state["step"])
            feats, feat_lens, ys, ys_lens = data.collate(cache, idx, aug)
            gen = torch.Generator().manual_seed(args.seed * 7919 + state["step"])  # per step: resume-safe
            chunk = dynamic_chunk_size(((feats.size(1) - 1) // 2 - 1) // 2, cfg.max_chunk, gen)
            for g in opt.param_groups:
                g["lr"] = lr_at(state["step"] + 1, args.peak_lr, args.warmup)
            loss, loss_ctc, loss_att = model(feats.to(device), feat_lens.to(device), ys.to(device),
                                             ys_lens.to(device), chunk)
            opt.zero_grad()
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            if torch.isfinite(grad_norm):
                opt.step()
            state["step"] += 1
            state["batch_in_epoch"] += 1
            state["audio_seconds"] += float(feat_lens.sum()) / 100
            state["seconds"] = base_seconds + time.time() - started
            log_loss += float(loss)
            log_n += 1
            if state["step"] % 20 == 0:
                print(f"step {state['step']} epoch {state['epoch']} loss {log_loss / log_n:.2f} "
                      f"ctc {float(loss_ctc):.2f} att {float(loss_att):.2f} lr {opt.param_groups[0]['lr']:.2e} "
                      f"{(time.time() - log_t) / log_n:.2f}s/step audio_seen {state['audio_seconds'] / 3600:.2f}h "
                      f"elapsed {state['seconds'] / 60:.1f}min", flush=True)
                log_loss, log_n, log_t = 0.0, 0, time.time()
            if dev_cache is not None and state["step"] % args.eval_every == 0:
                print(f"step {state['step']} dev greedy CTC WER {greedy_ctc_wer(model, dev_cache, device):.1f}%",
                      flush=True)
            if state["step"] % args.checkpoint_every == 0:
                save_checkpoint(last, model, opt, state)
            if stop_requested or (args.max_minutes and state["seconds"] > args.max_minutes * 60):
                save_checkpoint(last, model, opt, state)
                reason = "on SIGTERM" if stop_requested else "at the time limit"
                print(f"stopping {reason}, step {state['step']}; rerun to resume", flush=True)
                return
        if state["batch_in_epoch"] >= len(batches):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
    save_checkpoint(last, model, opt, state)
    print(f"done at step {state['step']}", flush=True)


if __name__ == "__main__":
    main()
