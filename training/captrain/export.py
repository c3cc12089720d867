"""Export a trained checkpoint to WeNet's ONNX CPU contract (encoder.onnx, ctc.onnx, decoder.onnx,
units.txt; chunk 16 with all history), the batched streaming encoder that the runtime runs for many
legs at once (encoder_batch.onnx), and write the contract references (contract/)."""
import argparse
import hashlib
import json
import os
import shutil

import onnx
import onnx.numpy_helper
import torch
from torch import nn

from . import checkpoint, data, decode, features
from .model import ModelConfig, U2Model, count_parameters

OPSET = 13
CHUNK_SIZE = 16
LEFT_CHUNKS = -1


class EncoderChunk(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, chunk, offset, att_cache, cnn_cache):
        return self.model.encoder.forward_chunk(chunk, offset, att_cache, cnn_cache)


class EncoderChunkBatch(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, chunk, offset, att_cache, cnn_cache, cache_mask):
        out, att, cnn = self.model.encoder.forward_chunk_batch(chunk, offset, att_cache, cnn_cache, cache_mask)
        return out, self.model.ctc_log_probs(out), att, cnn


class CtcHead(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, hidden):
        return self.model.ctc_log_probs(hidden)


class DecoderScores(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, hyps, hyps_lens, encoder_out):
        return decode.decoder_scores(self.model, encoder_out, hyps, hyps_lens)


def _named_weights(wrapper):
    """Export-time wrapper flagged as training (its submodules stay in eval mode, and none has
    dropout or batch norm): torch then keeps one initializer per parameter, named after it,
    instead of merging parameters that happen to hold equal values."""
    wrapper.training = True
    return wrapper


def decoding_window(chunk_size=CHUNK_SIZE):
    return (chunk_size - 1) * 4 + 6 + 1


def metadata(model, name, version, sample_rate, training=None):
    """WeNet's keys, ours, and `training` (updates and hours of audio seen) so a later run can go on."""
    cfg = model.cfg
    total, active = count_parameters(model)
    return {
        "output_dir": ".",
        "batch": "1",
        "chunk_size": str(CHUNK_SIZE),
        "left_chunks": str(LEFT_CHUNKS),
        "reverse_weight": str(cfg.reverse_weight),
        "output_size": str(cfg.d_model),
        "num_blocks": str(cfg.encoder_blocks),
        "cnn_module_kernel": str(cfg.cnn_kernel),
        "head": str(cfg.heads),
        "feature_size": str(cfg.feat_dim),
        "vocab_size": str(cfg.vocab_size),
        "decoding_window": str(decoding_window()),
        "encoder": "conformer",
        "decoder": "bitransformer",
        "subsampling_rate": "4",
        "right_context": "6",
        "sos_symbol": str(cfg.sos),
        "eos_symbol": str(cfg.eos),
        "is_bidirectional_decoder": "1",
        "sample_rate": str(sample_rate),
        "model_name": name,
        "model_version": version,
        "num_experts": str(cfg.num_experts),
        "moe_top_k": str(cfg.moe_top_k if cfg.num_experts else 0),
        "params_total": str(total),
        "params_active": str(active),
        "training_config": json.dumps(cfg.to_dict(), sort_keys=True),
        "feature_mean": feature_mean(model),
        **{k: str(v) for k, v in (training or {}).items()},
    }


def feature_mean(model):
    """The mean fbank frame of the training audio (what the encoder's global CMVN subtracts), comma-separated."""
    return _numbers(model.encoder.global_cmvn.mean.tolist())


def speech_mean(model, cache, utts=None):
    """The mean of the training frames louder than the model's mean frame (feature_mean_speech, as a list): the
    runtime's feature normalisation moves a leg's speech frames towards it (its pauses left out on both sides)."""
    return data.speech_mean(cache, float(model.encoder.global_cmvn.mean.mean()), utts).tolist()


def _numbers(values):
    return ",".join(f"{v:.6g}" for v in values)


def _add_metadata(path, meta):
    m = onnx.load(path)
    del m.metadata_props[:]
    for k, v in meta.items():
        m.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_onnx(model, out_dir, name, version="1", sample_rate=features.SAMPLE_RATE, training=None):
    """Write the three graphs + units.txt. Weights keep their parameter names (no constant
    folding), so `load_from_onnx` can rebuild the PyTorch model from a model directory."""
    model.eval()
    cfg = model.cfg
    os.makedirs(out_dir, exist_ok=True)
    L, H, dk = cfg.encoder_blocks, cfg.heads, cfg.d_model // cfg.heads
    g = torch.Generator().manual_seed(0)
    # Traced with a non-empty cache so that both the chunk and the cache lengths stay dynamic.
    chunk = torch.randn(1, decoding_window(), cfg.feat_dim, generator=g) * 3 + 10
    att_cache = torch.randn(L, H, CHUNK_SIZE, 2 * dk, generator=g)
    cnn_cache = torch.randn(L, 1, cfg.d_model, cfg.cnn_kernel - 1, generator=g)
    offset = torch.tensor(CHUNK_SIZE, dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            _named_weights(EncoderChunk(model)),
            (chunk, offset, att_cache, cnn_cache),
            os.path.join(out_dir, "encoder.onnx"),
            opset_version=OPSET,
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            input_names=["chunk", "offset", "att_cache", "cnn_cache"],
            output_names=["output", "r_att_cache", "r_cnn_cache"],
            dynamic_axes={
                "chunk": {1: "T"},
                "att_cache": {2: "T_CACHE"},
                "output": {1: "T"},
                "r_att_cache": {2: "T_CACHE"},
            },
        )
        hidden = torch.randn(1, 20, cfg.d_model, generator=g)
        torch.onnx.export(
            _named_weights(CtcHead(model)),
            (hidden,),
            os.path.join(out_dir, "ctc.onnx"),
            opset_version=OPSET,
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            input_names=["hidden"],
            output_names=["probs"],
            dynamic_axes={"hidden": {1: "T"}, "probs": {1: "T"}},
        )
        hyps, hyps_lens = decode.pad_hyps([[5, 6, 7], [8, 9], [10, 11, 12, 13]], cfg.sos)
        torch.onnx.export(
            _named_weights(DecoderScores(model)),
            (hyps, hyps_lens, hidden),
            os.path.join(out_dir, "decoder.onnx"),
            opset_version=OPSET,
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            input_names=["hyps", "hyps_lens", "encoder_out"],
            output_names=["score", "r_score"],
            dynamic_axes={
                "hyps": {0: "NBEST", 1: "L"},
                "hyps_lens": {0: "NBEST"},
                "encoder_out": {1: "T"},
                "score": {0: "NBEST", 1: "L"},
                "r_score": {0: "NBEST", 1: "L"},
            },
        )
    meta = metadata(model, name, version, sample_rate, training)
    for f in ("encoder.onnx", "ctc.onnx", "decoder.onnx"):
        _add_metadata(os.path.join(out_dir, f), meta)
    data.write_units(os.path.join(out_dir, "units.txt"))
    export_batch_encoder(model, out_dir, meta)


BATCH_ENCODER_FILE = "encoder_batch.onnx"


def export_batch_encoder(model, out_dir, meta):
    """encoder_batch.onnx: one streaming step of many streams at once (forward_chunk_batch, with the
    CTC head), for the runtime's batching across legs. Inputs chunk [B, T, F], offset [B], att_cache
    [B, L, H, R, 2*d_k], cnn_cache [B, L, D, K-1], cache_mask [B, R]; outputs output [B, T', D],
    ctc_log_probs [B, T', V], r_att_cache [B, L, H, R+T', 2*d_k], r_cnn_cache.

    Its weights are not stored twice: each large initializer is an external-data reference to the
    same bytes inside encoder.onnx (offset and length), whose SHA-256 the metadata records so that a
    runtime can refuse a batched graph that no longer matches its encoder.onnx."""
    model.eval()
    cfg = model.cfg
    L, H, dk = cfg.encoder_blocks, cfg.heads, cfg.d_model // cfg.heads
    g = torch.Generator().manual_seed(0)
    b, cached = 3, CHUNK_SIZE  # traced with a non-empty cache so that every length stays dynamic
    example = (
        torch.randn(b, decoding_window(), cfg.feat_dim, generator=g) * 3 + 10,
        torch.full((b,), cached, dtype=torch.int64),
        torch.randn(b, L, H, cached, 2 * dk, generator=g),
        torch.randn(b, L, cfg.d_model, cfg.cnn_kernel - 1, generator=g),
        torch.ones(b, cached, dtype=torch.bool),
    )
    path = os.path.join(out_dir, BATCH_ENCODER_FILE)
    with torch.no_grad():
        torch.onnx.export(
            _named_weights(EncoderChunkBatch(model)),
            example,
            path,
            opset_version=OPSET,
            do_constant_folding=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            input_names=["chunk", "offset", "att_cache", "cnn_cache", "cache_mask"],
            output_names=["output", "ctc_log_probs", "r_att_cache", "r_cnn_cache"],
            dynamic_axes={
                "chunk": {0: "B", 1: "T"},
                "offset": {0: "B"},
                "att_cache": {0: "B", 3: "R"},
                "cnn_cache": {0: "B"},
                "cache_mask": {0: "B", 1: "R"},
                "output": {0: "B", 1: "T_OUT"},
                "ctc_log_probs": {0: "B", 1: "T_OUT"},
                "r_att_cache": {0: "B", 3: "R_OUT"},
                "r_cnn_cache": {0: "B"},
            },
        )
    graph = onnx.load(path)
    with open(os.path.join(out_dir, "encoder.onnx"), "rb") as f:
        encoder_bytes = f.read()
    _weights_from(graph, encoder_bytes, "encoder.onnx")
    del graph.metadata_props[:]
    sha = hashlib.sha256(encoder_bytes).hexdigest()
    for k, v in {**meta, "batch": "dynamic", "weights_file": "encoder.onnx", "weights_sha256": sha}.items():
        graph.metadata_props.add(key=k, value=v)
    onnx.save(graph, path)
    onnx.checker.check_model(path)  # by path: the external data is found beside it


def _weights_from(graph, blob, location, min_bytes=1024):
    """Turns each initializer of `graph` of at least min_bytes whose bytes occur in `blob`, the contents
    of the file `location` beside the graph, into an external-data reference to them there."""
    for init in graph.graph.initializer:
        raw = init.raw_data
        at = blob.find(raw) if len(raw) >= min_bytes else -1
        if at < 0:
            continue
        init.ClearField("raw_data")
        init.data_location = onnx.TensorProto.EXTERNAL
        del init.external_data[:]
        for key, value in (("location", location), ("offset", at), ("length", len(raw))):
            init.external_data.add(key=key, value=str(value))


def load_from_onnx(model_dir):
    """Rebuild the PyTorch model from an exported model directory (weights from the initializers)."""
    enc = onnx.load(os.path.join(model_dir, "encoder.onnx"))
    meta = {p.key: p.value for p in enc.metadata_props}
    if "training_config" not in meta:
        raise ValueError(f"{model_dir}/encoder.onnx: no training_config metadata (not exported by this recipe)")
    model = U2Model(ModelConfig(**json.loads(meta["training_config"])))
    state = {}
    for f in ("encoder.onnx", "ctc.onnx", "decoder.onnx"):
        graph = enc.graph if f == "encoder.onnx" else onnx.load(os.path.join(model_dir, f)).graph
        for init in graph.initializer:
            if init.name.startswith("model."):
                state[init.name[len("model.") :]] = torch.from_numpy(onnx.numpy_helper.to_array(init).copy())
    missing = set(model.state_dict()) - set(state)
    if missing:
        raise ValueError(f"{model_dir}: weights missing from the ONNX files: {sorted(missing)[:5]}")
    model.load_state_dict(state)
    model.eval()
    return model, meta


def streaming_encode(model, feats, chunk_size=CHUNK_SIZE):
    """Run forward_chunk over feats [T, 80] with WeNet's runtime schedule.
    Returns (encoder_out [1, T', D], steps)."""
    window, stride = decoding_window(chunk_size), chunk_size * 4
    att_cache, cnn_cache = model.encoder.initial_caches()
    outs, steps, offset, start = [], [], 0, 0
    with torch.no_grad():
        while start < feats.size(0):
            piece = feats[start : start + window]
            if piece.size(0) < 7:  # right_context + 1
                break
            y, att_cache, cnn_cache = model.encoder.forward_chunk(piece.unsqueeze(0), offset, att_cache, cnn_cache)
            steps.append(
                {
                    "in_frames": piece.size(0),
                    "offset": offset,
                    "out_frames": y.size(1),
                    "att_cache_frames": att_cache.size(2),
                }
            )
            outs.append(y)
            offset += y.size(1)
            if start + window >= feats.size(0):
                break
            start += stride
    return torch.cat(outs, dim=1), steps


def write_contract(model, out_dir, wav_path, beam=10, ctc_weight=0.5):
    """contract/: the audio, its fbank and what this PyTorch model computes on it, in the format
    of shared/fixtures/wenet/*/export_*/ (reference.json, ref_encoder_out.f32, ref_ctc_logprobs.f32).
    The export the references belong to is the parent directory."""
    cdir = os.path.join(out_dir, "contract")
    os.makedirs(cdir, exist_ok=True)
    shutil.copyfile(wav_path, os.path.join(cdir, "speech_8k.wav"))
    feats = features.fbank(features.read_wav(wav_path))
    feats.numpy().astype("<f4").tofile(os.path.join(cdir, "fbank_8k.f32"))
    enc, steps = streaming_encode(model, feats)
    with torch.no_grad():
        logp = model.ctc_log_probs(enc)[0]
    enc[0].numpy().astype("<f4").tofile(os.path.join(cdir, "ref_encoder_out.f32"))
    logp.numpy().astype("<f4").tofile(os.path.join(cdir, "ref_ctc_logprobs.f32"))
    nbest = decode.ctc_prefix_beam_search(logp, beam)
    scores, best = decode.attention_rescoring(model, enc, nbest, ctc_weight)
    entries = []
    for (tokens, ctc_score, times), sc in zip(nbest, scores):
        entries.append(
            {"tokens": list(tokens), "text": data.tokens_to_text(tokens), "ctc_score": ctc_score, "times": times, **sc}
        )
    ref = {
        "feats": "fbank_8k.f32",
        "feat_frames": feats.size(0),
        "feat_dim": feats.size(1),
        "steps": steps,
        "encoder_frames": enc.size(1),
        "encoder_dim": enc.size(2),
        "vocab": model.cfg.vocab_size,
        "beam": beam,
        "ctc_weight": ctc_weight,
        "reverse_weight": model.cfg.reverse_weight,
        "prefix_beam_nbest": entries,
        "best_tokens": list(nbest[best][0]),
        "best_text": data.tokens_to_text(nbest[best][0]),
    }
    with open(os.path.join(cdir, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
    return ref


def pick_contract_wav(data_dir):
    for _, path, _ in data.read_data_dir(data_dir):
        seconds = features.read_wav(path).numel() / features.SAMPLE_RATE
        if 3.0 <= seconds <= 5.0:
            return path
    raise ValueError(f"{data_dir}: no utterance of 3-5 s for the contract references")


def update(model_dir, train_cache=None, train_utts=None):
    """Brings a directory this recipe exported before up to date: the feature_mean metadata key on the
    three graphs, feature_mean_speech from the training features' cache (`train_cache`, over the utterances
    listed first on the lines of `train_utts` if given), then encoder_batch.onnx (against the resulting
    encoder.onnx)."""
    model, meta = load_from_onnx(model_dir)
    meta["feature_mean"] = feature_mean(model)
    if train_cache:
        utts = None
        if train_utts:
            with open(train_utts, encoding="utf-8") as f:
                utts = [line.split()[0] for line in f if line.strip()]
        meta["feature_mean_speech"] = _numbers(speech_mean(model, data.load_cache(train_cache), utts))
    for f in ("encoder.onnx", "ctc.onnx", "decoder.onnx"):
        _add_metadata(os.path.join(model_dir, f), meta)
    export_batch_encoder(model, model_dir, meta)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--update",
        metavar="MODEL_DIR",
        help="bring a model directory this recipe exported before up to date (the feature_mean metadata,"
        " encoder_batch.onnx); the other options are not used but these two",
    )
    ap.add_argument(
        "--train-cache",
        help="with --update: the training features' cache (train.pt), for feature_mean_speech",
    )
    ap.add_argument(
        "--train-utts",
        help="with --train-cache: only the utterances whose ids start the lines of this file (a wav.scp)",
    )
    ap.add_argument("--checkpoint")
    ap.add_argument("--out")
    ap.add_argument("--name")
    ap.add_argument("--version", default="1")
    ap.add_argument(
        "--contract-data",
        help="Kaldi-style dir; its first utterance of 3-5 s becomes the contract audio",
    )
    args = ap.parse_args()
    if args.update:
        update(args.update, args.train_cache, args.train_utts)
        print(f"updated {args.update}")
        return
    for option in ("checkpoint", "out", "name", "contract_data"):
        if getattr(args, option) is None:
            ap.error(f"--{option.replace('_', '-')} is required")
    ckpt = checkpoint.read(args.checkpoint)
    model = checkpoint.model_from(ckpt)
    model.eval()
    state = ckpt.get("state", {})
    training = {
        "training_updates": state.get("step", 0),
        "training_audio_hours": round(state.get("audio_seconds", 0.0) / 3600, 2),
    }
    if "feature_mean_speech" in state:
        training["feature_mean_speech"] = _numbers(state["feature_mean_speech"])
    export_onnx(model, args.out, args.name, args.version, training=training)
    reloaded, _ = load_from_onnx(args.out)
    for k, v in model.state_dict().items():
        if not torch.equal(v, reloaded.state_dict()[k]):
            raise RuntimeError(f"exported weight {k} differs from the checkpoint")
    ref = write_contract(model, args.out, pick_contract_wav(args.contract_data))
    print(f"exported {args.out}: best on contract audio: {ref['best_text']!r}")


if __name__ == "__main__":
    main()
