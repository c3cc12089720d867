"""Writes three ONNX graphs of one feed-forward layer of the shipped models' size, with the same
random weights where they are shared, for MoeLayerBenchmark:

  dense.onnx  the dense model's FFN (Linear, SiLU, Linear)
  loop.onnx   the MoE layer as the recipe exports it (captrain.model.MoEFeedForward: each expert
              runs on the rows routed to it, found at run time)
  fused.onnx  the same MoE layer as ONNX Runtime's contrib operator com.microsoft::MoE
  batched.onnx  the same MoE layer with every expert on every row, weighted by zero where not chosen

usage: /usr/bin/python3 bench/moe-layer/graphs.py OUT_DIR [--d-model 112] [--ffn 448] [--experts 7] [--top-k 2]
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
from captrain.model import FeedForward, MoEFeedForward  # noqa: E402


def export(module, d_model, path):
    example = torch.randn(16, d_model)
    torch.onnx.export(module, (example,), path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "frames"}, "y": {0: "frames"}}, opset_version=13)


def fused_graph(moe, d_model, top_k, path):
    # the contrib op wants fc1 as [experts, ffn, d_model] and fc2 as [experts, d_model, ffn]: torch's
    # Linear weights are already (out, in); softmax over all experts and renormalising the top k equals
    # WeNet's softmax over the k chosen logits
    stacked = {
        "fc1": np.stack([e.w_1.weight.detach().numpy() for e in moe.experts]),
        "fc1_bias": np.stack([e.w_1.bias.detach().numpy() for e in moe.experts]),
        "fc2": np.stack([e.w_2.weight.detach().numpy() for e in moe.experts]),
        "fc2_bias": np.stack([e.w_2.bias.detach().numpy() for e in moe.experts]),
        "router": moe.gate.weight.detach().numpy().T.copy(),
    }
    nodes = [
        helper.make_node("MatMul", ["x", "router"], ["router_logits"]),
        helper.make_node("MoE", ["x", "router_logits", "fc1", "fc1_bias", "fc2", "fc2_bias"], ["y"],
                         domain="com.microsoft", k=top_k, activation_type="silu", normalize_routing_weights=1),
    ]
    graph = helper.make_graph(
        nodes, "moe_fused",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["frames", d_model])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["frames", d_model])],
        [numpy_helper.from_array(v, k) for k, v in stacked.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
    onnx.save(model, path)


class AllExpertsMoE(torch.nn.Module):
    """The same layer computed densely: every expert on every row (batched MatMul over stacked weights),
    weighted by the top-k softmax and zero elsewhere. Fewer nodes, (experts / top-k) times the arithmetic."""

    def __init__(self, moe):
        super().__init__()
        self.top_k = moe.top_k
        self.gate = moe.gate
        self.w1 = torch.nn.Parameter(torch.stack([e.w_1.weight.t() for e in moe.experts]).detach())
        self.b1 = torch.nn.Parameter(torch.stack([e.w_1.bias for e in moe.experts]).unsqueeze(1).detach())
        self.w2 = torch.nn.Parameter(torch.stack([e.w_2.weight.t() for e in moe.experts]).detach())
        self.b2 = torch.nn.Parameter(torch.stack([e.w_2.bias for e in moe.experts]).unsqueeze(1).detach())

    def forward(self, x):
        logits = self.gate(x)
        top_logits, top_idx = logits.topk(self.top_k, dim=-1)
        weights = torch.zeros_like(logits).scatter(-1, top_idx, top_logits.softmax(dim=-1))
        h = torch.nn.functional.silu(torch.matmul(x.unsqueeze(0), self.w1) + self.b1)
        y = torch.matmul(h, self.w2) + self.b2  # [experts, rows, width]
        return (y * weights.t().unsqueeze(-1)).sum(dim=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--d-model", type=int, default=112)
    ap.add_argument("--ffn", type=int, default=448)
    ap.add_argument("--experts", type=int, default=7)
    ap.add_argument("--top-k", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    moe = MoEFeedForward(args.d_model, args.ffn, 0.0, torch.nn.SiLU(), args.experts, args.top_k).eval()
    dense = FeedForward(args.d_model, args.ffn, 0.0, torch.nn.SiLU()).eval()
    export(dense, args.d_model, os.path.join(args.out, "dense.onnx"))
    export(moe, args.d_model, os.path.join(args.out, "loop.onnx"))
    fused_graph(moe, args.d_model, args.top_k, os.path.join(args.out, "fused.onnx"))
    export(AllExpertsMoE(moe).eval(), args.d_model, os.path.join(args.out, "batched.onnx"))
    print(f"wrote dense.onnx, loop.onnx, fused.onnx, batched.onnx to {args.out} (d_model {args.d_model}, ffn {args.ffn}, "
          f"{args.experts} experts, top-{args.top_k})")


if __name__ == "__main__":
    main()
