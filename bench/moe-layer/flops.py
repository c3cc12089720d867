"""Arithmetic of the shipped models per second of audio, as the runtime decodes (streaming chunk 16,
all history kept within an utterance), next to which the measured times can be read.

Multiply-accumulates (MACs) are counted while the recipe's PyTorch model (rebuilt from the exported
weights) runs forward_chunk over one utterance: every nn.Linear / nn.Conv1d / nn.Conv2d by the rows it
really sees (an MoE expert only the frames routed to it: top-k of every frame), every torch.matmul
(attention scores and context). The count does not depend on the audio (routing picks k experts for
every frame), so the input is noise of the given length. The attention-rescoring decoder is counted
once per utterance for an n-best of --nbest hypotheses of --chars-per-second characters.

usage: /usr/bin/python3 bench/moe-layer/flops.py MODEL_DIR... [--seconds 5 10] [--nbest 20]
"""
import argparse
import os
import sys
from collections import defaultdict

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
from captrain.export import load_from_onnx  # noqa: E402


class MacCounter:
    """Counts MACs by part of the model while it runs."""

    def __init__(self, model):
        self.macs = defaultdict(int)
        self.part = "other"
        self.handles = []
        for name, module in model.named_modules():
            if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d)):
                self.handles.append(module.register_forward_hook(self._layer_hook(self._part_of(name, model))))
        self._matmul = torch.matmul

    @staticmethod
    def _part_of(name, model):
        if name.startswith("encoder.embed"):
            return "encoder: subsampling"
        if ".ff." in name or ".ff_macaron." in name:  # dense, or the experts and the router of an MoE layer
            return "encoder: feed-forward (2 per block)"
        if name.startswith("encoder") and "linear_pos" in name:
            return "encoder: attention, position projection"
        if name.startswith("encoder") and "attn" in name:
            return "encoder: attention, projections"
        if name.startswith("encoder") and "conv" in name:
            return "encoder: convolution module"
        if name.startswith("ctc"):
            return "CTC"
        return "decoder" if "decoder" in name else "other"

    def _layer_hook(self, part):
        def hook(module, inputs, output):
            x = inputs[0]
            if isinstance(module, nn.Linear):
                rows = x.numel() // x.size(-1)
                self.macs[part] += rows * module.in_features * module.out_features
            else:  # conv: every output element costs (in_channels / groups) x kernel MACs
                kernel = 1
                for k in module.kernel_size:
                    kernel *= k
                self.macs[part] += output.numel() * module.in_channels // module.groups * kernel
        return hook

    def __enter__(self):
        counter = self

        def counting_matmul(a, b):
            out = counter._matmul(a, b)
            counter.macs[counter.part] += out.numel() * a.size(-1)
            return out
        torch.matmul = counting_matmul
        return self

    def __exit__(self, *exc):
        torch.matmul = self._matmul


def encoder_macs(model, seconds):
    """MACs of the encoder and CTC over one streaming utterance of `seconds` (chunks of the export)."""
    cfg = model.cfg
    frames = int(seconds * 100)
    feats = torch.randn(1, frames, cfg.feat_dim)
    chunk = 16
    stride = 4 * chunk
    context = 7  # conv2d 4x subsampling: (chunk - 1) * 4 + 7 feature frames make one chunk
    att_cache, cnn_cache = model.encoder.initial_caches()
    counter = MacCounter(model)
    with counter, torch.no_grad():
        counter.part = "encoder: attention, scores and context"
        offset = 0
        for start in range(0, frames - context + 1, stride):
            piece = feats[:, start:start + (chunk - 1) * 4 + context]
            out, att_cache, cnn_cache = model.encoder.forward_chunk(piece, offset, att_cache, cnn_cache)
            model.ctc_lo(out)
            offset += out.size(1)
    for h in counter.handles:
        h.remove()
    return counter.macs, offset


def decoder_macs(model, seconds, nbest, chars_per_second):
    cfg = model.cfg
    memory = torch.randn(nbest, int(seconds * 25), cfg.d_model)
    length = max(1, int(seconds * chars_per_second))
    ys = torch.randint(3, cfg.vocab_size, (nbest, length + 1))
    lens = torch.full((nbest,), length + 1)
    counter = MacCounter(model)
    with counter, torch.no_grad():
        counter.part = "decoder"
        mask = torch.ones(nbest, 1, memory.size(1), dtype=torch.bool)
        model.decoder(memory, mask, ys, lens, ys)
    for h in counter.handles:
        h.remove()
    return sum(counter.macs.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--seconds", type=float, nargs="+", default=[5.0, 10.0], help="utterance lengths")
    ap.add_argument("--nbest", type=int, default=20, help="hypotheses rescored per utterance (the beam)")
    ap.add_argument("--chars-per-second", type=float, default=14.0)
    args = ap.parse_args()
    torch.manual_seed(0)
    for seconds in args.seconds:
        print(f"## utterances of {seconds:g} s: million MACs per second of audio")
        rows, names = defaultdict(dict), []
        for model_dir in args.models:
            model = load_from_onnx(model_dir)[0].eval()
            name = os.path.basename(os.path.normpath(model_dir))
            names.append(name)
            macs, _ = encoder_macs(model, seconds)
            for part, value in macs.items():
                rows[part][name] = value / seconds / 1e6
            rows["encoder + CTC, total"][name] = sum(macs.values()) / seconds / 1e6
            rows[f"rescoring ({args.nbest} hypotheses)"][name] = decoder_macs(
                model, seconds, args.nbest, args.chars_per_second) / seconds / 1e6
        print("| part | " + " | ".join(names) + (" | ratio |" if len(names) == 2 else " |"))
        print("|---|" + "---|" * (len(names) + (1 if len(names) == 2 else 0)))
        for part in sorted(rows, key=lambda p: (p.startswith("encoder + CTC"), p.startswith("rescoring"), p)):
            values = [rows[part].get(n, 0.0) for n in names]
            ratio = f" {values[1] / values[0]:.2f} |" if len(names) == 2 and values[0] else (" |" if len(names) == 2 else "")
            print(f"| {part} | " + " | ".join(f"{v:.1f}" for v in values) + " |" + ratio)
        print()


if __name__ == "__main__":
    main()
