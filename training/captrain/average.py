"""Weight averaging: one checkpoint whose weights are the mean of several models of the same size.

  python3 -m captrain.average --out work/avg.pt work/exp/moe/last.pt ../models/u2pp-moe-telephony

Each input is a training checkpoint or an exported model directory of this recipe. Models that share
an ancestor (a run and its continuation, or the checkpoints of one run's last updates) sit in the same
basin, and their mean often decodes better than each of them, as WeNet's average_model does for a
run's last checkpoints. The output has no optimizer; `captrain.export --checkpoint` exports it, and
its update count and hours seen are the last input's.
"""
import argparse
import os

from . import checkpoint
from .export import load_from_onnx


def read_model(path):
    """(model, state) of a checkpoint file or an exported model directory."""
    if os.path.isdir(path):
        model, meta = load_from_onnx(path)
        state = {
            "step": int(meta.get("training_updates", 0)),
            "audio_seconds": float(meta.get("training_audio_hours", 0.0)) * 3600,
        }
        return model, state
    ckpt = checkpoint.read(path)
    return checkpoint.model_from(ckpt), ckpt.get("state", {})


def average(models):
    """The mean of the models' floating-point weights; other buffers are the last model's."""
    states = [m.state_dict() for m in models]
    layout = [{name: tuple(w.shape) for name, w in s.items()} for s in states]
    if any(x != layout[0] for x in layout):
        raise ValueError("the models differ in size or layout; only models of one configuration average")
    mean = {}
    for name, last in states[-1].items():
        if last.is_floating_point():
            mean[name] = sum(s[name] for s in states) / len(states)
        else:
            mean[name] = last.clone()
    result = checkpoint.model_from({"config": models[-1].cfg.to_dict(), "model": mean})
    return result.eval()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="checkpoint file to write")
    ap.add_argument("inputs", nargs="+", help="checkpoint files or exported model directories")
    args = ap.parse_args(argv)
    if len(args.inputs) < 2:
        ap.error("give at least two models to average")
    loaded = [read_model(p) for p in args.inputs]
    try:
        model = average([m for m, _ in loaded])
    except ValueError as e:
        ap.error(f"{e}: {', '.join(args.inputs)}")
    checkpoint.save(args.out, model, None, dict(loaded[-1][1], averaged_from=list(args.inputs)))
    print(f"averaged {len(loaded)} models into {args.out}")


if __name__ == "__main__":
    main()
