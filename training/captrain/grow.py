"""A deeper encoder from a trained model: new conformer blocks inserted between the trained ones.

  python3 -m captrain.grow --from ../models/u2pp-moe-telephony --insert-at 3,6 --exp work/exp/moe17

A new block starts with the output projections of its residual branches at zero (each expert's second
layer, the attention's output, the convolution's last pointwise layer), so it passes its input on but for
its final LayerNorm, which starts as the one of the block below it: the grown model decodes nearly as the
trained one did, and training goes on from there (`captrain.train --exp` resumes the checkpoint written
here, with a fresh optimizer, its update count and hours seen, and the ramp back to the schedule's rate
that --init-from gives). Every other weight is the trained model's.
"""
import argparse
import dataclasses
import os

import torch

from . import checkpoint
from .average import read_model
from .model import U2Model

ZEROED = ("w_2.weight", "w_2.bias", "self_attn.linear_out.weight", "self_attn.linear_out.bias")
ZEROED_CONV = ("conv.pointwise_conv2.weight", "conv.pointwise_conv2.bias")


def grow(model, insert_at, seed=0):
    """`model` with new blocks at the positions `insert_at` of the grown encoder (0 = before the first)."""
    blocks = model.cfg.encoder_blocks + len(insert_at)
    if len(set(insert_at)) != len(insert_at) or not all(0 < p < blocks for p in insert_at):
        raise ValueError(
            f"insert positions must differ and lie in 1..{blocks - 1} (after a trained block): {insert_at}"
        )
    torch.manual_seed(seed)
    grown = U2Model(dataclasses.replace(model.cfg, encoder_blocks=blocks))
    trained = model.state_dict()
    old_of_new, old = {}, 0
    for new in range(blocks):
        if new not in insert_at:
            old_of_new[new] = old
            old += 1
    weights = grown.state_dict()
    for name in weights:
        if not name.startswith("encoder.blocks."):
            weights[name] = trained[name].clone()
            continue
        index, rest = name.split(".", 3)[2:]
        index = int(index)
        if index in old_of_new:
            weights[name] = trained[f"encoder.blocks.{old_of_new[index]}.{rest}"].clone()
        elif rest.startswith("norm_final."):
            below = max(i for i in old_of_new if i < index)
            weights[name] = trained[f"encoder.blocks.{old_of_new[below]}.{rest}"].clone()
        elif rest.endswith(ZEROED) or rest in ZEROED_CONV:
            weights[name] = torch.zeros_like(weights[name])
    grown.load_state_dict(weights)
    return grown


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="source", required=True, help="exported model directory or checkpoint")
    ap.add_argument("--insert-at", required=True, help="positions of the new blocks in the grown encoder: 3,6")
    ap.add_argument("--exp", required=True, help="experiment directory: its last.pt is written here")
    ap.add_argument("--dropout", type=float, help="the grown model's dropout (default: the trained model's)")
    ap.add_argument("--seed", type=int, default=17, help="for the new blocks' weights that are not zeroed")
    args = ap.parse_args(argv)
    model, state = read_model(args.source)
    if args.dropout is not None:
        model.cfg = dataclasses.replace(model.cfg, dropout=args.dropout)
    try:
        grown = grow(model, [int(p) for p in args.insert_at.split(",")], args.seed)
    except ValueError as e:
        ap.error(str(e))
    last = os.path.join(args.exp, "last.pt")
    if os.path.exists(last):
        ap.error(f"{last} exists: a run is under way there")
    os.makedirs(args.exp, exist_ok=True)
    step = int(state.get("step", 0))
    optimizer = torch.optim.Adam(grown.parameters())  # fresh: train.py sets its rate every update
    run = {
        "step": step,
        "epoch": 0,
        "batch_in_epoch": 0,
        "seconds": 0.0,
        "audio_seconds": float(state.get("audio_seconds", 0.0)),
        "rewarm_from": step,
        "grown_from": args.source,
        "grown_insert_at": args.insert_at,
    }
    checkpoint.save(last, grown, optimizer, run)
    params = sum(p.numel() for p in grown.parameters())
    print(f"{last}: {grown.cfg.encoder_blocks} encoder blocks, {params} parameters, from update {step}")


if __name__ == "__main__":
    main()
