"""Training throughput of candidate model sizes on this machine, in seconds of audio per second.

  python3 -m captrain.throughput --cache work/feats/train.pt [--steps 12] [--threads 1 2]

Each configuration trains for a few updates on real batches of the feature cache (the same batch
maker and frame budget as captrain.train, chunk masks drawn as in training); the first updates are
a warm-up and not timed. Run it with nothing else on the cores.
"""
import argparse
import time

import numpy as np
import torch

from . import data
from .model import ModelConfig, U2Model, count_parameters, dynamic_chunk_size

# (label, d_model, ffn_dim, encoder blocks, experts)
CANDIDATES = [
    ("dense 112x6 (first generation)", 112, 448, 6, 0),
    ("MoE 112x6, 7 experts (first generation)", 112, 448, 6, 7),
    ("dense 144x8", 144, 576, 8, 0),
    ("MoE 144x8, 5 experts", 144, 576, 8, 5),
    ("dense 176x8", 176, 704, 8, 0),
]


def measure(cfg, cache, batches, threads, steps, warmup=3):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = U2Model(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    audio = wall = 0.0
    for step, idx in enumerate(batches[: steps + warmup]):
        feats, feat_lens, ys, ys_lens = data.collate(cache, idx, np.random.default_rng(step))
        chunk = dynamic_chunk_size(
            ((feats.size(1) - 1) // 2 - 1) // 2, cfg.max_chunk, torch.Generator().manual_seed(step)
        )
        started = time.perf_counter()
        loss, _, _ = model(feats, feat_lens, ys, ys_lens, chunk)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step >= warmup:
            wall += time.perf_counter() - started
            audio += float(feat_lens.sum()) / 100
    return audio / wall, wall / steps


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--max-frames", type=int, default=4000)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    cache = data.prepare_features(None, args.cache)
    batches = data.make_batches(cache, args.max_frames, seed=1, epoch=0)
    print(f"| model | parameters total / active | threads | s per update | audio s per s |")
    print(f"|---|---|---|---|---|")
    for label, d_model, ffn_dim, blocks, experts in CANDIDATES:
        cfg = ModelConfig(
            vocab_size=len(data.UNITS),
            d_model=d_model,
            ffn_dim=ffn_dim,
            encoder_blocks=blocks,
            num_experts=experts,
            sos=data.SOS_EOS,
            eos=data.SOS_EOS,
        )
        total, active = count_parameters(U2Model(cfg))
        for threads in args.threads:
            speed, per_step = measure(cfg, cache, batches, threads, args.steps)
            print(
                f"| {label} | {total / 1e6:.1f} M / {active / 1e6:.1f} M | {threads} | {per_step:.2f} | "
                f"{speed:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
