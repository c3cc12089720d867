"""A deeper encoder grown from a trained model (captrain.grow)."""
import pytest
import torch

from captrain import checkpoint, grow
from captrain.model import chunk_attention_mask
from tests.tiny import fake_feats, tiny_model


def test_trained_blocks_keep_their_weights_and_a_new_block_only_normalises():
    trained = tiny_model(num_experts=3, blocks=3)
    grown = grow.grow(trained, [1, 3])
    assert grown.cfg.encoder_blocks == 5
    old, new = trained.state_dict(), grown.state_dict()
    for grown_index, trained_index in ((0, 0), (2, 1), (4, 2)):
        for key, weight in old.items():
            prefix = f"encoder.blocks.{trained_index}."
            if key.startswith(prefix):
                assert torch.equal(new[f"encoder.blocks.{grown_index}." + key[len(prefix) :]], weight), key
    assert torch.equal(new["ctc_lo.weight"], old["ctc_lo.weight"])
    block = grown.encoder.blocks[1]
    assert torch.equal(block.norm_final.weight, trained.encoder.blocks[0].norm_final.weight)
    x = torch.randn(1, 12, 64)
    pos_emb = torch.zeros(1, 12, 64)
    keep = torch.ones(1, 1, 12, dtype=torch.bool)
    with torch.no_grad():
        out, _, _ = block(x, chunk_attention_mask(keep, 0), pos_emb, keep)
        assert torch.allclose(out, block.norm_final(x), atol=1e-6)


def test_the_grown_model_decodes_nearly_as_the_trained_one():
    trained = tiny_model(num_experts=3, blocks=2)
    grown = grow.grow(trained, [1]).eval()
    feats = fake_feats(200).unsqueeze(0)
    lens = torch.tensor([200])
    with torch.no_grad():
        before = trained.ctc_log_probs(trained.encoder(feats, lens)[0]).argmax(-1)
        after = grown.ctc_log_probs(grown.encoder(feats, lens)[0]).argmax(-1)
    assert (before == after).float().mean() > 0.5


def test_main_writes_a_checkpoint_that_training_resumes(tmp_path):
    trained = tiny_model(blocks=2)
    checkpoint.save(str(tmp_path / "trained.pt"), trained, None, {"step": 500, "audio_seconds": 7200.0})
    grow.main(["--from", str(tmp_path / "trained.pt"), "--insert-at", "1", "--exp", str(tmp_path / "exp")])
    ckpt = checkpoint.read(str(tmp_path / "exp" / "last.pt"))
    assert ckpt["config"]["encoder_blocks"] == 3
    assert ckpt["state"]["step"] == 500 and ckpt["state"]["rewarm_from"] == 500
    assert ckpt["state"]["audio_seconds"] == 7200.0
    with pytest.raises(SystemExit):  # never over a run under way
        grow.main(["--from", str(tmp_path / "trained.pt"), "--insert-at", "1", "--exp", str(tmp_path / "exp")])
    with pytest.raises(SystemExit):
        grow.main(["--from", str(tmp_path / "trained.pt"), "--insert-at", "0", "--exp", str(tmp_path / "other")])
