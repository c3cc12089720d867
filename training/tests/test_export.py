import hashlib
import json
import os

import numpy as np
import onnx
import pytest
import torch

from captrain import decode, export, ortcheck
from captrain.model import MoEFeedForward
from tiny import fake_feats, tiny_model

WENET_METADATA = [
    "chunk_size",
    "left_chunks",
    "reverse_weight",
    "output_size",
    "num_blocks",
    "cnn_module_kernel",
    "head",
    "feature_size",
    "vocab_size",
    "decoding_window",
    "encoder",
    "decoder",
    "subsampling_rate",
    "right_context",
    "sos_symbol",
    "eos_symbol",
    "is_bidirectional_decoder",
    "batch",
    "output_dir",
]
OUR_METADATA = ["sample_rate", "model_name", "model_version", "num_experts", "moe_top_k"]
needs_ort = pytest.mark.skipif(ortcheck.ort_jar() is None, reason="java + onnxruntime jar not available")


@pytest.fixture(scope="module", params=[0, 4], ids=["dense", "moe"])
def exported(request, tmp_path_factory):
    model = tiny_model(request.param, seed=5)
    out = str(tmp_path_factory.mktemp(f"export{request.param}"))
    export.export_onnx(model, out, "tiny-test", "0")
    return model, out


def io_names(path):
    g = onnx.load(path).graph
    return [i.name for i in g.input], [o.name for o in g.output]


def test_graphs_have_the_contract_names_metadata_and_opset(exported):
    model, out = exported
    assert io_names(os.path.join(out, "encoder.onnx")) == (
        ["chunk", "offset", "att_cache", "cnn_cache"],
        ["output", "r_att_cache", "r_cnn_cache"],
    )
    assert io_names(os.path.join(out, "ctc.onnx")) == (["hidden"], ["probs"])
    assert io_names(os.path.join(out, "decoder.onnx")) == (["hyps", "hyps_lens", "encoder_out"], ["score", "r_score"])
    for f in ("encoder.onnx", "ctc.onnx", "decoder.onnx"):
        m = onnx.load(os.path.join(out, f))
        onnx.checker.check_model(m)
        assert [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] == [13]
        meta = {p.key: p.value for p in m.metadata_props}
        assert set(WENET_METADATA + OUR_METADATA) <= set(meta)
        assert meta["chunk_size"] == "16" and meta["left_chunks"] == "-1" and meta["decoding_window"] == "67"
        assert meta["sample_rate"] == "8000" and meta["num_experts"] == str(model.cfg.num_experts)
        assert meta["moe_top_k"] == ("2" if model.cfg.num_experts else "0")
    units = open(os.path.join(out, "units.txt"), encoding="utf-8").read().split("\n")
    assert (
        units[0] == "<blank> 0" and units[2] == "<sos/eos> 2" and len([u for u in units if u]) == model.cfg.vocab_size
    )


def test_weights_reload_from_the_model_directory(exported):
    model, out = exported
    reloaded, meta = export.load_from_onnx(out)
    for k, v in model.state_dict().items():
        assert torch.equal(v, reloaded.state_dict()[k]), k


class RoutingCounter:
    """Counts frames sent to each expert of every MoE layer while active."""

    def __init__(self, model):
        self.counts = []
        self.hooks = [
            m.gate.register_forward_hook(self._hook) for m in model.modules() if isinstance(m, MoEFeedForward)
        ]
        self.top_k = model.cfg.moe_top_k

    def _hook(self, module, inputs, logits):
        idx = logits.topk(self.top_k, dim=-1).indices
        self.counts.extend(int((idx == e).any(-1).sum()) for e in range(logits.size(-1)))

    def close(self):
        for h in self.hooks:
            h.remove()


@needs_ort
def test_encoder_in_onnxruntime_matches_pytorch_for_any_routing(exported):
    model, out = exported
    L, H, dk = model.cfg.encoder_blocks, model.cfg.heads, model.cfg.d_model // model.cfg.heads
    counter = RoutingCounter(model)
    cases = [  # (input frames, cached frames): 1 output frame, a normal chunk, a long utterance
        (7, 0),
        (67, 16),
        (401, 0),
    ]
    for frames, cache_frames in cases:
        g = torch.Generator().manual_seed(frames)
        chunk = fake_feats(frames, seed=frames).unsqueeze(0)
        att = torch.randn(L, H, cache_frames, 2 * dk, generator=g)
        cnn = torch.randn(L, 1, model.cfg.d_model, model.cfg.cnn_kernel - 1, generator=g)
        with torch.no_grad():
            y, a, c = model.encoder.forward_chunk(chunk, cache_frames, att, cnn)
        got = ortcheck.run_graph(
            os.path.join(out, "encoder.onnx"),
            {
                "chunk": chunk.numpy(),
                "offset": np.array(cache_frames, dtype=np.int64),
                "att_cache": att.numpy(),
                "cnn_cache": cnn.numpy(),
            },
        )
        assert got["output"].shape == tuple(y.shape)
        np.testing.assert_allclose(got["output"], y.numpy(), atol=1e-4)
        np.testing.assert_allclose(got["r_att_cache"], a.numpy(), atol=1e-4)
        np.testing.assert_allclose(got["r_cnn_cache"], c.numpy(), atol=1e-4)
    counter.close()
    if model.cfg.num_experts:
        assert 0 in counter.counts and 1 in counter.counts and max(counter.counts) >= 20


def batch_of_streams(model, histories, seed):
    """Streams with `histories` chunks already decoded each, as the runtime packs them for
    encoder_batch.onnx (caches left-padded to the longest, masked), with the chunk each decodes next
    and what forward_chunk gives for it alone."""
    L, H, dk = model.cfg.encoder_blocks, model.cfg.heads, model.cfg.d_model // model.cfg.heads
    states = []
    with torch.no_grad():
        for i, chunks in enumerate(histories):
            att, cnn = model.encoder.initial_caches()
            offset = 0
            for c in range(chunks):
                feats = fake_feats(export.decoding_window(), seed=seed + 10 * i + c).unsqueeze(0)
                y, att, cnn = model.encoder.forward_chunk(feats, offset, att, cnn)
                offset += y.size(1)
            states.append((att, cnn, offset))
    slots = max(offset for _, _, offset in states)
    b = len(states)
    packed = {
        "chunk": torch.stack([fake_feats(export.decoding_window(), seed=seed - 1 - i) for i in range(b)]),
        "offset": torch.tensor([offset for _, _, offset in states]),
        "att_cache": torch.zeros(b, L, H, slots, 2 * dk),
        "cnn_cache": torch.stack([cnn[:, 0] for _, cnn, _ in states]),
        "cache_mask": torch.zeros(b, slots, dtype=torch.bool),
    }
    alone = []
    with torch.no_grad():
        for i, (att, cnn, offset) in enumerate(states):
            packed["att_cache"][i, :, :, slots - offset :] = att
            packed["cache_mask"][i, slots - offset :] = True
            y, a, c = model.encoder.forward_chunk(packed["chunk"][i : i + 1], offset, att, cnn)
            alone.append((y[0], model.ctc_log_probs(y)[0], a, c[:, 0], offset))
    return packed, alone, slots


@needs_ort
def test_batch_encoder_gives_each_stream_what_it_gets_alone(exported):
    model, out = exported
    path = os.path.join(out, export.BATCH_ENCODER_FILE)
    assert io_names(path) == (
        ["chunk", "offset", "att_cache", "cnn_cache", "cache_mask"],
        ["output", "ctc_log_probs", "r_att_cache", "r_cnn_cache"],
    )
    graph = onnx.load(path, load_external_data=False)
    meta = {p.key: p.value for p in graph.metadata_props}
    with open(os.path.join(out, "encoder.onnx"), "rb") as f:
        assert meta["weights_sha256"] == hashlib.sha256(f.read()).hexdigest()
    assert meta["batch"] == "dynamic" and meta["model_name"] == "tiny-test"
    # the encoder's weights are the bytes of encoder.onnx, not a second copy
    inits = graph.graph.initializer
    assert [i.name for i in inits if i.name.startswith("model.encoder.") and len(i.raw_data) >= 1024] == []
    assert any(i.data_location == onnx.TensorProto.EXTERNAL for i in inits)
    for histories in ([0, 0], [0, 1, 3], [2]):  # first chunks only (no cache), mixed, one stream
        packed, alone, slots = batch_of_streams(model, histories, seed=40 + len(histories))
        got = ortcheck.run_graph(path, {k: v.numpy() for k, v in packed.items()})
        for i, (y, logp, att, cnn, offset) in enumerate(alone):
            np.testing.assert_allclose(got["output"][i], y.numpy(), atol=1e-4)
            np.testing.assert_allclose(got["ctc_log_probs"][i], logp.numpy(), atol=1e-4)
            np.testing.assert_allclose(got["r_att_cache"][i, :, :, slots - offset :], att.numpy(), atol=1e-4)
            np.testing.assert_allclose(got["r_cnn_cache"][i], cnn.numpy(), atol=1e-4)


@needs_ort
def test_ctc_and_decoder_in_onnxruntime_match_pytorch(exported):
    model, out = exported
    with torch.no_grad():
        enc, _ = model.encoder(fake_feats(200).unsqueeze(0), torch.tensor([200]))
        logp = model.ctc_log_probs(enc)
    got = ortcheck.run_graph(os.path.join(out, "ctc.onnx"), {"hidden": enc.numpy()})
    np.testing.assert_allclose(got["probs"], logp.numpy(), atol=1e-4)
    for hyps_tokens in ([[7]], [[5, 6, 7, 4, 8], [9], [10, 11, 12], [], [13, 14, 15, 16, 17, 18, 19]]):
        hyps, lens = decode.pad_hyps(hyps_tokens, model.cfg.sos)
        with torch.no_grad():
            score, r_score = decode.decoder_scores(model, enc, hyps, lens)
        got = ortcheck.run_graph(
            os.path.join(out, "decoder.onnx"),
            {"hyps": hyps.numpy(), "hyps_lens": lens.numpy(), "encoder_out": enc.numpy()},
        )
        np.testing.assert_allclose(got["score"], score.numpy(), atol=1e-3)
        np.testing.assert_allclose(got["r_score"], r_score.numpy(), atol=1e-3)


def test_contract_references_have_the_fixture_format(exported, tmp_path):
    model, out = exported
    import wave

    wav = tmp_path / "a.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes((np.random.default_rng(0).standard_normal(8000 * 3) * 3000).astype("<i2").tobytes())
    ref = export.write_contract(model, out, str(wav))
    fixture = (
        json.load(
            open(
                os.path.join(
                    os.path.dirname(__file__), "../../../shared/fixtures/wenet/dense/export_16_-1/reference.json"
                )
            )
        )
        if os.path.exists(os.path.join(os.path.dirname(__file__), "../../../shared"))
        else None
    )
    keys = [
        "feats",
        "feat_frames",
        "feat_dim",
        "steps",
        "encoder_frames",
        "encoder_dim",
        "vocab",
        "beam",
        "ctc_weight",
        "reverse_weight",
        "prefix_beam_nbest",
        "best_tokens",
        "best_text",
    ]
    assert list(ref) == keys
    assert set(ref["prefix_beam_nbest"][0]) == {
        "tokens",
        "text",
        "ctc_score",
        "times",
        "l2r",
        "r2l",
        "rescoring",
        "final",
    }
    if fixture is not None:
        assert set(fixture) == set(ref) and set(fixture["prefix_beam_nbest"][0]) == set(ref["prefix_beam_nbest"][0])
    cdir = os.path.join(out, "contract")
    enc = np.fromfile(os.path.join(cdir, "ref_encoder_out.f32"), dtype="<f4")
    assert enc.size == ref["encoder_frames"] * ref["encoder_dim"]
    assert ref["steps"][0] == {"in_frames": 67, "offset": 0, "out_frames": 16, "att_cache_frames": 16}
    best = max(ref["prefix_beam_nbest"], key=lambda h: h["final"])
    assert best["tokens"] == ref["best_tokens"]


def test_the_speech_mean_leaves_frames_below_the_gate_out():
    from captrain import data

    quiet, loud = np.full((30, 80), 2.0, dtype=np.float16), np.full((10, 80), 9.0, dtype=np.float16)
    loud[:, 0] = 11.0
    cache = {"feats": np.concatenate([quiet, loud, quiet]), "utts": ["a", "b"], "offsets": [0, 40], "lengths": [40, 30]}
    mean = data.speech_mean(cache, gate=5.0, frames_at_once=7).numpy()
    assert mean[0] == pytest.approx(11.0) and mean[1:] == pytest.approx(9.0)
    assert data.speech_mean(cache, gate=5.0, utts=["b"]).numpy() == pytest.approx(0.0)  # "b" holds no loud frame
