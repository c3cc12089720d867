#!/usr/bin/env bash
# One MoE feed-forward layer of the shipped models' size: the recipe's per-expert graph against ONNX
# Runtime's fused com.microsoft::MoE and the dense FFN, in the Java runtime.
#   bench/moe-layer/run.sh [--frames N] [--runs N] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$root/bench/target/moe-layer"
training/setup.sh >/dev/null # Debian's torch and onnx for the graphs
/usr/bin/python3 bench/moe-layer/graphs.py "$work"
mvn -B -q -pl bench -am install -DskipTests
cp_file="$root/bench/target/classpath.txt"
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec java -cp "$root/bench/target/classes:$(cat "$cp_file")" io.captioner.bench.MoeLayerBenchmark "$work" "$@"
