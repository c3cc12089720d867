#!/usr/bin/env bash
# Builds asr-core and the benchmark, then runs RtfBenchmark with the given arguments.
# Without model directories it compares the dense and MoE WeNet fixture exports (chunk 16/-1).
#   bench/run.sh [--audio WAV] [--repeat N] [--chunk-size N] [--streams K] [--rounds R] [MODEL_DIR...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED_DIR:-$root/../shared}"
# directories as absolute paths, since the benchmark runs from the repository root
args=()
has_model=false
for arg in "$@"; do
  if [[ -d "$arg" ]]; then has_model=true; arg=$(realpath "$arg"); fi
  args+=("$arg")
done
set -- "${args[@]}"
cd "$root"
if [[ "$has_model" == false ]]; then
  set -- "$@" "$shared/fixtures/wenet/dense/export_16_-1" "$shared/fixtures/wenet/moe/export_16_-1"
fi
JAVA_OPTS="-Dshared.dir=$shared" exec bench/java.sh io.captioner.bench.RtfBenchmark "$@"
