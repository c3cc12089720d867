#!/usr/bin/env bash
# One MoE feed-forward layer of the shipped models' size: the recipe's per-expert graph against ONNX
# Runtime's fused com.microsoft::MoE, all experts on every row, and the dense FFN, in the Java runtime.
#   bench/moe-layer/run.sh [--frames N] [--runs N] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$root/bench/target/moe-layer"
training/setup.sh >/dev/null # Debian's torch and onnx for the graphs
/usr/bin/python3 bench/moe-layer/graphs.py "$work"
exec bench/java.sh io.captioner.bench.MoeLayerBenchmark "$work" "$@"
