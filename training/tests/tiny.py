"""Tiny random models shared by the tests."""
import torch

from captrain.model import ModelConfig, U2Model


def tiny_model(num_experts=0, seed=0, blocks=2):
    torch.manual_seed(seed)
    cfg = ModelConfig(
        d_model=64,
        heads=4,
        ffn_dim=128,
        encoder_blocks=blocks,
        cnn_kernel=8,
        subsampling_channels=16,
        num_experts=num_experts,
        moe_top_k=2,
    )
    model = U2Model(cfg)
    with torch.no_grad():  # non-trivial CMVN and norms so that mistakes show
        model.encoder.global_cmvn.mean.uniform_(8, 12)
        model.encoder.global_cmvn.istd.uniform_(0.2, 0.5)
        for m in model.modules():
            if isinstance(m, torch.nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    return model.eval()


def fake_feats(frames, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(frames, 80, generator=g) * 2 + 10
