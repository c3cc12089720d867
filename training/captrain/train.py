"""Train a U2++ (dense or MoE) model on a prepared data dir, with periodic checkpoints and resume.

  python3 -m captrain.train --data work/data/train --exp work/exp/dense --experts 0 ...
Rerunning the same command resumes from <exp>/last.pt.

With --processes N the model trains data-parallel in N processes on this machine (one thread
each by default): every update averages the gradients of N batches, so on two cores one model gets
both of them (measured: two single-thread processes beat one process with two threads).
"""
import argparse
import dataclasses
import json
import math
import os
import signal
import socket
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from . import checkpoint, data, features
from .export import load_from_onnx, speech_mean
from .model import ModelConfig, U2Model, count_parameters, dynamic_chunk_size
from .score import edit_distance

REWARM_UPDATES = 200  # after --init-from the fresh optimizer ramps up to the schedule's rate
# CTC drives the partials and the n-best, and a higher share of the loss than WeNet's 0.3 (ModelConfig's)
# gets it off its plateau sooner in short runs
RECIPE_CTC_WEIGHT = 0.5
LOG_EVERY = 20  # updates per progress line


def lr_at(step, peak, warmup, rewarm_from=None, last_step=None, cooldown=0):
    """Linear warm-up to `peak`, inverse-square-root decay; after --init-from a ramp back up over
    REWARM_UPDATES; with `cooldown`, a linear decay to zero over the updates that end at `last_step`."""
    step = max(step, 1)
    lr = peak * min(step / warmup, math.sqrt(warmup / step))
    if rewarm_from is not None:
        lr *= min(1.0, (step - rewarm_from) / REWARM_UPDATES)
    if cooldown:
        lr *= min(1.0, max(0.0, (last_step - step + 1) / cooldown))
    return lr


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
            ref = data.tokens_to_text(ys[0, : int(ys_lens[0])].tolist()).split()
            errors += edit_distance(ref, data.tokens_to_text(tokens).split())
            words += len(ref)
    model.train()
    return 100.0 * errors / max(words, 1)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="Kaldi-style dir with wav.scp and text")
    ap.add_argument("--cache", required=True, help="feature cache file for --data")
    ap.add_argument("--exp", required=True)
    ap.add_argument("--experts", type=int, default=ModelConfig.num_experts, help="0: dense feed-forward layers")
    ap.add_argument("--top-k", type=int, default=ModelConfig.moe_top_k)
    ap.add_argument("--d-model", type=int, default=ModelConfig.d_model)
    ap.add_argument("--ffn-dim", type=int, default=ModelConfig.ffn_dim)
    ap.add_argument("--encoder-blocks", type=int, default=ModelConfig.encoder_blocks)
    ap.add_argument(
        "--ctc-weight",
        type=float,
        default=RECIPE_CTC_WEIGHT,
        help="share of the CTC loss (the recipe's; WeNet's is 0.3)",
    )
    ap.add_argument("--max-frames", type=int, default=6000, help="padded input frames per batch (per process)")
    ap.add_argument("--max-steps", type=int, default=3000)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (and checkpoint) after this long")
    ap.add_argument("--peak-lr", type=float, default=1e-3)
    ap.add_argument(
        "--cooldown",
        type=int,
        default=0,
        help="the last this many updates before --max-steps take the learning rate down linearly "
        "to zero (a run that ends on a low rate generalises better than one cut off mid-schedule)",
    )
    ap.add_argument(
        "--warmup", type=int, default=1500, help="300 updates at peak 2e-3 killed most subsampling-conv channels"
    )
    ap.add_argument(
        "--dropout",
        type=float,
        help="dropout rate in the encoder and decoders (default: the model's own, 0 for a new one; "
        "dropout slows short runs, and keeps long runs over few voices from fitting the voices)",
    )
    ap.add_argument(
        "--time-mask",
        type=int,
        default=features.Augmentation.max_time_mask,
        help="widest SpecAugment time mask, frames",
    )
    ap.add_argument(
        "--freq-warp",
        type=float,
        default=features.Augmentation.max_warp,
        help="vocal-tract warp: each utterance's frequencies scaled by a factor from 1 +- this",
    )
    ap.add_argument(
        "--tilt",
        type=float,
        default=features.Augmentation.max_tilt,
        help="spectral tilt: each utterance's top mel bin raised or lowered against the bottom one by up to this "
        "much log energy (1.0 is 4.3 dB)",
    )
    ap.add_argument(
        "--tempo",
        type=float,
        default=features.Augmentation.max_tempo,
        help="speaking rate: each utterance's frames resampled by a factor from 1 +- this",
    )
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--threads", type=int, default=1, help="torch threads per process")
    ap.add_argument(
        "--processes",
        type=int,
        default=1,
        help="data-parallel training processes on this machine (gradients averaged each update)",
    )
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--dev", help="held-out data dir: greedy CTC WER on 40 of its utterances is logged")
    ap.add_argument("--dev-cache", help="feature cache file for --dev")
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument(
        "--init-from",
        help="an exported model directory of this recipe to go on training from "
        "(its size, weights, update count and hours seen; the optimizer starts afresh and ramps up "
        f"over {REWARM_UPDATES} updates), when <exp>/last.pt does not exist yet",
    )
    ap.add_argument(
        "--init-updates",
        type=int,
        help="update count of the --init-from model, for exports whose metadata lacks it "
        "(the learning-rate schedule goes on from there)",
    )
    ap.add_argument("--init-hours", type=float, help="hours of audio the --init-from model saw, likewise")
    args = ap.parse_args(argv)
    if args.processes < 1:
        ap.error(f"--processes must be at least 1, got {args.processes}")
    if args.cooldown < 0 or args.cooldown > args.max_steps:
        ap.error(f"--cooldown must be between 0 and --max-steps ({args.max_steps}), got {args.cooldown}")
    if args.processes > 1 and args.device != "cpu":
        ap.error("--processes > 1 is for CPU training; on a GPU raise --max-frames instead")
    return args


def build_model(args, cache):
    """(model, optimizer, state): resumed from <exp>/last.pt, initialised from --init-from, or new."""
    last = os.path.join(args.exp, "last.pt")
    adam = lambda m: torch.optim.Adam(m.parameters(), lr=args.peak_lr, betas=(0.9, 0.98), eps=1e-9)  # noqa: E731
    state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "seconds": 0.0, "audio_seconds": 0.0}
    if os.path.exists(last):
        ckpt = checkpoint.read(last)
        model = checkpoint.model_from(ckpt)
        opt = adam(model)
        opt.load_state_dict(ckpt["optimizer"])
        state = ckpt["state"]
        return model, opt, state, f"resumed from {last} at step {state['step']}"
    if args.init_from:
        model, meta = load_from_onnx(args.init_from)
        model.train()
        updates = meta.get("training_updates", args.init_updates)
        hours = meta.get("training_audio_hours", args.init_hours)
        if updates is None or hours is None:
            raise SystemExit(
                f"{args.init_from}: its metadata lacks training_updates/training_audio_hours; "
                "give --init-updates and --init-hours (its model card has them)"
            )
        state.update(step=int(updates), audio_seconds=float(hours) * 3600, rewarm_from=int(updates))
        if args.dropout is not None:
            weights = model.state_dict()
            model = U2Model(dataclasses.replace(model.cfg, dropout=args.dropout))
            model.load_state_dict(weights)
            model.train()
        return (
            model,
            adam(model),
            state,
            (
                f"initialised from {args.init_from} at update {state['step']}, "
                f"{state['audio_seconds'] / 3600:.1f} h seen"
            ),
        )
    cfg = ModelConfig(
        vocab_size=len(data.UNITS),
        d_model=args.d_model,
        ffn_dim=args.ffn_dim,
        encoder_blocks=args.encoder_blocks,
        num_experts=args.experts,
        ctc_weight=args.ctc_weight,
        moe_top_k=args.top_k,
        dropout=args.dropout or 0.0,
        sos=data.SOS_EOS,
        eos=data.SOS_EOS,
    )
    model = U2Model(cfg)
    mean, istd = data.global_cmvn(cache)
    model.encoder.global_cmvn.mean.copy_(mean)
    model.encoder.global_cmvn.istd.copy_(istd)
    return model, adam(model), state, "new model"


def augmentation(args):
    return features.Augmentation(
        max_time_mask=args.time_mask, max_warp=args.freq_warp, max_tilt=args.tilt, max_tempo=args.tempo
    )


def backward_on_batch(model, cache, idx, draw, seed, device, augment):
    """Forward and backward on one batch (utterance indices), with `augment` (features.Augmentation)
    and a chunk size drawn from `draw` (unique per update and process, so a resumed run draws the same).
    Returns the losses and the seconds of audio in the batch."""
    aug = np.random.default_rng(seed * 100003 + draw)
    feats, feat_lens, ys, ys_lens = data.collate(cache, idx, aug, augment)
    gen = torch.Generator().manual_seed(seed * 7919 + draw)
    chunk = dynamic_chunk_size(((feats.size(1) - 1) // 2 - 1) // 2, model.cfg.max_chunk, gen)
    loss, loss_ctc, loss_att = model(feats.to(device), feat_lens.to(device), ys.to(device), ys_lens.to(device), chunk)
    loss.backward()
    return loss, loss_ctc, loss_att, float(feat_lens.sum()) / 100


def synchronise(model, world, counters):
    """Average the gradients over the processes and sum `counters` (a float list) across them, in one
    all-reduce. Experts that got no frames in a process have no gradient there; they count as zero."""
    params = list(model.parameters())
    grads = [p.grad.reshape(-1) if p.grad is not None else torch.zeros(p.numel()) for p in params]
    flat = torch.cat(grads + [torch.tensor(counters, dtype=torch.float32)])
    dist.all_reduce(flat)
    offset = 0
    for p in params:
        p.grad = (flat[offset : offset + p.numel()] / world).view_as(p)
        offset += p.numel()
    return flat[offset:].tolist()


@dataclasses.dataclass
class Run:
    """One training process's share of a run: what `setup` builds and `train_step` updates."""

    args: argparse.Namespace
    rank: int
    world: int
    cache: dict
    dev_cache: dict
    model: U2Model
    opt: torch.optim.Optimizer
    state: dict  # step, epoch, batch_in_epoch, seconds, audio_seconds[, rewarm_from]; saved in checkpoints
    device: torch.device
    last: str  # <exp>/last.pt
    stop_requested: list  # set by the SIGTERM handler
    started: float = 0.0  # when state["seconds"] was last brought up to date

    def log(self, message):
        if self.rank == 0:
            print(message, flush=True)


def setup(rank, args, port):
    """Joins the process group, loads the data, and resumes, initialises or creates the model."""
    world = args.processes
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if world > 1:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    cache = data.prepare_features(args.data, args.cache)
    last = os.path.join(args.exp, "last.pt")
    resumed = os.path.exists(last)  # build_model goes on from it
    model, opt, state, how = build_model(args, cache)
    if resumed and state.get("grown_from") and not state.get("seconds"):
        resumed = False  # captrain.grow's checkpoint: a run that starts from a grown model, not one resumed
    if "feature_mean_speech" not in state:  # for the export; a checkpoint carries it on
        state["feature_mean_speech"] = speech_mean(model, cache)
    run = Run(args, rank, world, cache, None, model, opt, state, torch.device(args.device), last, [])
    run.log(how)
    total, active = count_parameters(model)
    if rank == 0:
        with open(os.path.join(args.exp, "train_args.json"), "w") as f:
            json.dump(
                {
                    "args": vars(args),
                    "resumed_at_update": state["step"] if resumed else None,
                    "grown_from": state.get("grown_from"),
                    "grown_insert_at": state.get("grown_insert_at"),
                    "config": model.cfg.to_dict(),
                    "params_total": total,
                    "params_active": active,
                    "utterances": len(cache["utts"]),
                    "corpus_hours": float(cache["lengths"].sum()) / 100 / 3600,
                },
                f,
                indent=1,
            )
    run.log(
        f"params total {total} active {active}; corpus {len(cache['utts'])} utts, "
        f"{cache['lengths'].sum() / 360000:.2f} h; {world} process(es)"
    )
    if args.dev and rank == 0:
        run.dev_cache = data.prepare_features(args.dev, args.dev_cache)
    model.to(run.device)
    model.train()
    signal.signal(signal.SIGTERM, lambda *_: run.stop_requested.append(True))
    run.started = time.time()
    return run


def train_step(run, batches, augment):
    """One update: this process's batch of the `world` consecutive ones, gradients averaged over the
    processes, clipped, one Adam step (skipped on a non-finite gradient). Returns (mean loss over the
    processes, this process's CTC and attention losses, whether any process must stop now)."""
    args, state = run.args, run.state
    for g in run.opt.param_groups:
        g["lr"] = lr_at(
            state["step"] + 1, args.peak_lr, args.warmup, state.get("rewarm_from"), args.max_steps, args.cooldown
        )
    run.opt.zero_grad()
    loss, loss_ctc, loss_att, audio_seconds = backward_on_batch(
        run.model,
        run.cache,
        batches[state["batch_in_epoch"] + run.rank],
        state["step"] * run.world + run.rank,
        args.seed,
        run.device,
        augment,
    )
    state["seconds"] += time.time() - run.started
    run.started = time.time()
    out_of_time = args.max_minutes and state["seconds"] > args.max_minutes * 60
    counters = [audio_seconds, float(loss), float(bool(run.stop_requested or out_of_time))]
    if run.world > 1:
        counters = synchronise(run.model, run.world, counters)
    audio_seconds, loss_sum, stop_votes = counters
    grad_norm = torch.nn.utils.clip_grad_norm_(run.model.parameters(), 5.0)
    if torch.isfinite(grad_norm):
        run.opt.step()
    state["step"] += 1
    state["batch_in_epoch"] += run.world
    state["audio_seconds"] += audio_seconds
    return loss_sum / run.world, float(loss_ctc), float(loss_att), bool(stop_votes)


class ProgressLog:
    """Every LOG_EVERY updates, a line with the mean loss, the last losses, rate, pace and audio seen."""

    def __init__(self, run):
        self.run = run
        self.loss, self.updates, self.since = 0.0, 0, time.time()

    def update(self, loss, loss_ctc, loss_att):
        self.loss += loss
        self.updates += 1
        state = self.run.state
        if state["step"] % LOG_EVERY:
            return
        self.run.log(
            f"step {state['step']} epoch {state['epoch']} loss {self.loss / self.updates:.2f} "
            f"ctc {loss_ctc:.2f} att {loss_att:.2f} lr {self.run.opt.param_groups[0]['lr']:.2e} "
            f"{(time.time() - self.since) / self.updates:.2f}s/step "
            f"audio_seen {state['audio_seconds'] / 3600:.2f}h elapsed {state['seconds'] / 60:.1f}min"
        )
        self.loss, self.updates, self.since = 0.0, 0, time.time()


def train_process(rank, args, port):
    run = setup(rank, args, port)
    state = run.state
    augment = augmentation(args)
    progress = ProgressLog(run)
    while state["step"] < args.max_steps:
        batches = data.make_batches(run.cache, args.max_frames, args.seed, state["epoch"])
        # each update takes `world` consecutive batches, one per process; a short tail waits for the next epoch
        while state["batch_in_epoch"] + run.world <= len(batches) and state["step"] < args.max_steps:
            loss, loss_ctc, loss_att, stop = train_step(run, batches, augment)
            progress.update(loss, loss_ctc, loss_att)
            if run.dev_cache is not None and state["step"] % args.eval_every == 0:
                run.log(
                    f"step {state['step']} dev greedy CTC WER "
                    f"{greedy_ctc_wer(run.model, run.dev_cache, run.device):.1f}%"
                )
            if rank == 0 and (stop or state["step"] % args.checkpoint_every == 0):
                checkpoint.save(run.last, run.model, run.opt, state)
            if stop:
                reason = "on SIGTERM" if run.stop_requested else "at the time limit"
                run.log(f"stopping {reason}, step {state['step']}; rerun to resume")
                return
        if state["batch_in_epoch"] + run.world > len(batches):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
    if rank == 0:
        checkpoint.save(run.last, run.model, run.opt, state)
    run.log(f"done at step {state['step']}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.exp, exist_ok=True)
    if args.processes == 1:
        train_process(0, args, None)
        return
    data.prepare_features(args.data, args.cache)  # once, before the processes load it
    context = mp.start_processes(
        train_process, args=(args, free_port()), nprocs=args.processes, join=False, start_method="spawn"
    )
    # SIGTERM to this process reaches every training process, which stop together after a checkpoint
    signal.signal(
        signal.SIGTERM, lambda *_: [os.kill(p.pid, signal.SIGTERM) for p in context.processes if p.is_alive()]
    )
    while not context.join():
        pass


if __name__ == "__main__":
    main()
