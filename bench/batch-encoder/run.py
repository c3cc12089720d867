"""The streaming encoder of model directories, one leg per run against many legs per run: encoder.onnx
(batch 1, as WeNet's runtime and the unbatched Java path run it) chunk by chunk, and encoder_batch.onnx
(what the runtime's batching runs) at batch sizes 1 to 256, each leg with the same history (--cache
frames of attention cache, all slots real). Prints milliseconds per run, per chunk, and the speed-up per
chunk against batch 1; with several models, the per-chunk ratio of each to the first.

Backends: ONNX Runtime (the recipe's PyPI venv has it: `training/setup.sh pypi`), on CUDA when its build
has the provider, else the CPU; or PyTorch (`--backend torch`, the model rebuilt from the exported
weights, forward_chunk / forward_chunk_batch, on CUDA when torch sees a GPU), for a machine without
ONNX Runtime.

usage: training/work/pypi-venv/bin/python bench/batch-encoder/run.py MODEL_DIR... [--batches 1 2 4 ...]
       [--cache 64] [--threads 1] [--seconds 2] [--backend ort|torch]
"""
import argparse
import os
import sys
import time

import numpy as np

WINDOW = 67  # feature frames of a streaming chunk: (16 - 1) * 4 + 6 + 1


def shapes(meta):
    """(layers, heads, 2*d_k, d_model, kernel - 1, feature size) from the encoder's metadata."""
    d = int(meta["output_size"])
    heads = int(meta["head"])
    return (
        int(meta["num_blocks"]),
        heads,
        2 * d // heads,
        d,
        int(meta["cnn_module_kernel"]) - 1,
        int(meta["feature_size"]),
    )


def inputs(meta, batch, cache, rng):
    layers, heads, kv, d, k1, feat = shapes(meta)
    return {
        "chunk": (rng.standard_normal((batch, WINDOW, feat)) * 3 + 10).astype(np.float32),
        "offset": np.full(batch, cache, dtype=np.int64),
        "att_cache": rng.standard_normal((batch, layers, heads, cache, kv)).astype(np.float32),
        "cnn_cache": rng.standard_normal((batch, layers, d, k1)).astype(np.float32),
        "cache_mask": np.ones((batch, cache), dtype=bool),
    }


class OrtRunner:
    def __init__(self, model_dir, threads):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in ort.get_available_providers()]
        self.device = providers[0]
        self.single = ort.InferenceSession(os.path.join(model_dir, "encoder.onnx"), options, providers=providers)
        self.batched = ort.InferenceSession(os.path.join(model_dir, "encoder_batch.onnx"), options, providers=providers)
        self.meta = self.single.get_modelmeta().custom_metadata_map

    def one(self, feeds):
        self.single.run(
            None,
            {
                "chunk": feeds["chunk"][:1],
                "offset": np.array(feeds["offset"][0]),
                "att_cache": feeds["att_cache"][0],
                "cnn_cache": feeds["cnn_cache"][0][:, None],
            },
        )

    def many(self, feeds):
        self.batched.run(None, feeds)


class TorchRunner:
    def __init__(self, model_dir, threads):
        import torch

        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
        from captrain.export import load_from_onnx

        torch.set_num_threads(threads)
        self.torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        model, self.meta = load_from_onnx(model_dir)
        self.encoder = model.encoder.to(self.device).eval()

    def _tensors(self, feeds):
        return {k: self.torch.from_numpy(v).to(self.device) for k, v in feeds.items()}

    def one(self, feeds):
        t = self._tensors(feeds)
        with self.torch.no_grad():
            self.encoder.forward_chunk(
                t["chunk"][:1], int(feeds["offset"][0]), t["att_cache"][0], t["cnn_cache"][0][:, None]
            )
        self._sync()

    def many(self, feeds):
        t = self._tensors(feeds)
        with self.torch.no_grad():
            self.encoder.forward_chunk_batch(t["chunk"], t["offset"], t["att_cache"], t["cnn_cache"], t["cache_mask"])
        self._sync()

    def _sync(self):
        if self.device == "cuda":
            self.torch.cuda.synchronize()


def timed(run, feeds, seconds):
    """Seconds per call: a warm-up call, then calls for at least `seconds` (at least 3)."""
    run(feeds)
    calls, start = 0, time.perf_counter()
    while calls < 3 or time.perf_counter() - start < seconds:
        run(feeds)
        calls += 1
    return (time.perf_counter() - start) / calls


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32, 64, 128, 256])
    ap.add_argument("--cache", type=int, default=64, help="attention cache frames of every leg (40 ms each)")
    ap.add_argument("--threads", type=int, default=1, help="intra-op threads")
    ap.add_argument("--seconds", type=float, default=2.0, help="timing per figure")
    ap.add_argument("--backend", choices=["ort", "torch"], default="ort")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    per_chunk = {}
    for model_dir in args.models:
        runner = (OrtRunner if args.backend == "ort" else TorchRunner)(model_dir, args.threads)
        name = os.path.basename(os.path.normpath(model_dir))
        print(f"{name} ({args.backend}, {runner.device}, {args.threads} thread(s), cache {args.cache} frames)")
        alone = timed(runner.one, inputs(runner.meta, 1, args.cache, rng), args.seconds)
        print(f"  encoder.onnx, one leg per run: {alone * 1e3:.2f} ms per chunk")
        print(f"  {'batch':>6} {'ms per run':>11} {'ms per chunk':>13} {'speed-up':>9}")
        for batch in args.batches:
            run = timed(runner.many, inputs(runner.meta, batch, args.cache, rng), args.seconds)
            per_chunk[(model_dir, batch)] = run / batch
            print(f"  {batch:>6} {run * 1e3:>11.2f} {run / batch * 1e3:>13.3f} {alone / (run / batch):>8.2f}x")
        per_chunk[(model_dir, 0)] = alone
    if len(args.models) > 1:
        first = args.models[0]
        for model_dir in args.models[1:]:
            ratios = " ".join(
                f"{b}: {per_chunk[(model_dir, b)] / per_chunk[(first, b)]:.2f}x" for b in [0] + args.batches
            )
            print(
                f"per chunk, {os.path.basename(os.path.normpath(model_dir))} / "
                f"{os.path.basename(os.path.normpath(first))} (0 = encoder.onnx): {ratios}"
            )


if __name__ == "__main__":
    main()
