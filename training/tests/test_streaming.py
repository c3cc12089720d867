import pytest
import torch

from captrain.export import streaming_encode
from tiny import fake_feats, tiny_model


@pytest.mark.parametrize("experts", [0, 4])
@pytest.mark.parametrize("frames", [67, 300, 411])
def test_forward_chunk_equals_full_forward_under_chunk_mask(experts, frames):
    model = tiny_model(experts)
    feats = fake_feats(frames)
    with torch.no_grad():
        full, _ = model.encoder(feats.unsqueeze(0), torch.tensor([frames]), chunk_size=16)
        streamed, steps = streaming_encode(model, feats)
    assert streamed.shape == full.shape
    assert torch.allclose(streamed, full, atol=2e-5)
    assert steps[0]["in_frames"] == 67 and steps[0]["out_frames"] == min(16, full.size(1))
    assert sum(s["out_frames"] for s in steps) == full.size(1)


def test_chunk_mask_changes_the_output_versus_full_context():
    model = tiny_model(0)
    feats = fake_feats(300)
    with torch.no_grad():
        chunked, _ = model.encoder(feats.unsqueeze(0), torch.tensor([300]), chunk_size=16)
        full, _ = model.encoder(feats.unsqueeze(0), torch.tensor([300]), chunk_size=0)
    assert not torch.allclose(chunked, full, atol=1e-3)


def test_padding_does_not_change_real_frames():
    model = tiny_model(4)
    a, b = fake_feats(200, seed=3), fake_feats(120, seed=4)
    batch = torch.zeros(2, 200, 80)
    batch[0], batch[1, :120] = a, b
    with torch.no_grad():
        out, keep = model.encoder(batch, torch.tensor([200, 120]), chunk_size=8)
        alone, _ = model.encoder(b.unsqueeze(0), torch.tensor([120]), chunk_size=8)
    n = alone.size(1)
    assert keep[1, 0].sum() == n
    assert torch.allclose(out[1, :n], alone[0], atol=2e-5)


def test_training_loss_is_finite_and_backpropagates():
    model = tiny_model(4).train()
    feats = torch.stack([fake_feats(150, seed=s) for s in range(2)])
    ys = torch.tensor([[5, 6, 4, 7, 8], [9, 10, 11, -1, -1]])
    loss, ctc, att = model(feats, torch.tensor([150, 120]), ys, torch.tensor([5, 3]), chunk_size=4)
    assert torch.isfinite(loss) and ctc > 0 and att > 0
    loss.backward()
    assert model.encoder.blocks[0].self_attn.pos_bias_u.grad.abs().sum() > 0
