import torch
import torch.nn.functional as F

from captrain.model import MoEFeedForward


def reference_moe(layer, x):
    """Plain per-frame loop: top-k of the router logits, softmax over the k, weighted experts."""
    flat = x.reshape(-1, x.size(-1))
    out = torch.zeros_like(flat)
    for n in range(flat.size(0)):
        logits = flat[n] @ layer.gate.weight.t()
        vals, idx = logits.topk(layer.top_k)
        w = vals.softmax(-1)
        for j in range(layer.top_k):
            out[n] += w[j] * layer.experts[int(idx[j])](flat[n : n + 1])[0]
    return out.reshape(x.shape)


def test_moe_equals_plain_loop_reference():
    torch.manual_seed(0)
    layer = MoEFeedForward(16, 32, 0.0, F.silu, num_experts=5, top_k=2).eval()
    x = torch.randn(3, 7, 16)
    with torch.no_grad():
        assert torch.allclose(layer(x), reference_moe(layer, x), atol=1e-5)


def test_moe_with_unused_experts_and_single_frame():
    torch.manual_seed(1)
    layer = MoEFeedForward(8, 16, 0.0, F.relu, num_experts=4, top_k=2).eval()
    with torch.no_grad():
        layer.gate.weight.zero_()
        layer.gate.weight[0, 0] = 10.0  # inputs with x0 > 0 prefer expert 0 ...
        layer.gate.weight[1, 0] = 5.0  # ... then expert 1; experts 2 and 3 get nothing
        x = torch.randn(1, 6, 8)
        x[..., 0] = x[..., 0].abs() + 1
        assert torch.allclose(layer(x), reference_moe(layer, x), atol=1e-5)
        one = torch.randn(1, 1, 8)
        assert torch.allclose(layer(one), reference_moe(layer, one), atol=1e-5)


def test_moe_gradients_reach_router_and_chosen_experts_only():
    torch.manual_seed(2)
    layer = MoEFeedForward(8, 16, 0.0, F.relu, num_experts=4, top_k=2)
    x = torch.randn(1, 1, 8)
    layer(x).sum().backward()
    chosen = set((x[0, 0] @ layer.gate.weight.t()).topk(2).indices.tolist())
    assert layer.gate.weight.grad.abs().sum() > 0
    for e, expert in enumerate(layer.experts):
        has_grad = expert.w_1.weight.grad is not None and expert.w_1.weight.grad.abs().sum() > 0
        assert has_grad == (e in chosen)
