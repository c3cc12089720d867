"""The shipped models (models/*/) against their own contract references, in ONNX Runtime."""
import glob
import hashlib
import json
import os

import numpy as np
import onnx
import pytest
import torch

from captrain import data, decode, lm, ortcheck

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIRS = sorted(
    os.path.dirname(os.path.dirname(p))
    for p in glob.glob(os.environ.get("MODELS_GLOB", os.path.join(REPO, "models", "*", "contract", "reference.json")))
)
needs_ort = pytest.mark.skipif(ortcheck.ort_jar() is None, reason="java + onnxruntime jar not available")


def load_ref(model_dir):
    cdir = os.path.join(model_dir, "contract")
    ref = json.load(open(os.path.join(cdir, "reference.json")))
    enc = np.fromfile(os.path.join(cdir, "ref_encoder_out.f32"), dtype="<f4").reshape(
        1, ref["encoder_frames"], ref["encoder_dim"]
    )
    logp = np.fromfile(os.path.join(cdir, "ref_ctc_logprobs.f32"), dtype="<f4").reshape(
        1, ref["encoder_frames"], ref["vocab"]
    )
    return ref, cdir, enc, logp


@pytest.mark.parametrize("model_dir", MODEL_DIRS, ids=lambda d: os.path.basename(str(d)))
def test_model_directory_is_complete_and_small(model_dir):
    for f in ("encoder.onnx", "encoder_batch.onnx", "ctc.onnx", "decoder.onnx", "units.txt", "README.md"):
        assert os.path.exists(os.path.join(model_dir, f)), f
    batch_meta = onnx.load(os.path.join(model_dir, "encoder_batch.onnx"), load_external_data=False).metadata_props
    with open(os.path.join(model_dir, "encoder.onnx"), "rb") as f:
        assert {p.key: p.value for p in batch_meta}["weights_sha256"] == hashlib.sha256(f.read()).hexdigest()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(model_dir) for f in fs)
    assert total < 80e6
    meta = {p.key: p.value for p in onnx.load(os.path.join(model_dir, "ctc.onnx")).metadata_props}
    assert meta["model_name"] == os.path.basename(model_dir) and meta["sample_rate"] == "8000"


@pytest.mark.parametrize("model_dir", MODEL_DIRS, ids=lambda d: os.path.basename(str(d)))
def test_the_word_language_model_is_a_complete_arpa_file(model_dir):
    path = os.path.join(model_dir, "lm.arpa.gz")
    assert os.path.exists(path)
    model = lm.read_arpa(path)
    orders = sorted(model)
    assert orders == list(range(1, len(orders) + 1)) and len(orders) >= 3  # every order up to the highest
    assert {("<s>",), ("</s>",), ("<unk>",)} <= set(model[1])
    assert lm.log10_prob(model, ["<s>", "my", "account"], "number") > lm.log10_prob(
        model, ["<s>", "my", "account"], "the"
    )


@needs_ort
@pytest.mark.parametrize("model_dir", MODEL_DIRS, ids=lambda d: os.path.basename(str(d)))
def test_onnxruntime_reproduces_the_contract_references(model_dir):
    ref, cdir, ref_enc, ref_logp = load_ref(model_dir)
    enc = ortcheck.stream_encoder(os.path.join(model_dir, "encoder.onnx"), os.path.join(cdir, ref["feats"]))
    np.testing.assert_allclose(enc, ref_enc, atol=1e-4)
    logp = ortcheck.run_graph(os.path.join(model_dir, "ctc.onnx"), {"hidden": enc})["probs"]
    np.testing.assert_allclose(logp, ref_logp, atol=1e-4)
    nbest = decode.ctc_prefix_beam_search(torch.from_numpy(logp[0]), ref["beam"])
    assert [list(h[0]) for h in nbest] == [h["tokens"] for h in ref["prefix_beam_nbest"]]
    hyps, lens = decode.pad_hyps([h["tokens"] for h in ref["prefix_beam_nbest"]], sos=data.SOS_EOS)
    got = ortcheck.run_graph(
        os.path.join(model_dir, "decoder.onnx"), {"hyps": hyps.numpy(), "hyps_lens": lens.numpy(), "encoder_out": enc}
    )
    rw, eos = ref["reverse_weight"], data.SOS_EOS
    for i, h in enumerate(ref["prefix_beam_nbest"]):
        toks = h["tokens"]
        l2r = sum(got["score"][i, j, w] for j, w in enumerate(toks)) + got["score"][i, len(toks), eos]
        r2l = (
            sum(got["r_score"][i, len(toks) - j - 1, w] for j, w in enumerate(toks)) + got["r_score"][i, len(toks), eos]
        )
        assert abs(l2r - h["l2r"]) < 1e-3 * max(1, len(toks)) and abs(r2l - h["r2l"]) < 1e-3 * max(1, len(toks))
    assert data.tokens_to_text(ref["best_tokens"]) == ref["best_text"]
