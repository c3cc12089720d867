#!/usr/bin/env bash
# The decoding time of several final beams: LmTuning on one thread with the model's LM, each beam in
# turn, two rounds, on dev_voice and dev_seen (training/work/data). Run it on a quiet machine.
#   bench/lm-tuning/final-beam-cost.sh MODEL_DIR [FINAL_BEAM...]   (default: 20 80 160)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model=$(realpath "$1"); shift
[ $# -gt 0 ] || set -- 20 80 160   # the final beams
data="$root/training/work/data"
lm=$(ls "$model/lm.arpa" "$model/lm.arpa.gz" 2>/dev/null | head -1)
[ -n "$lm" ] || { echo "$model has no lm.arpa[.gz]" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in 1 2; do
  for beam in "$@"; do
    "$root/bench/java.sh" io.captioner.bench.LmTuning --model "$model" --lm "$lm" --out "$out/$beam" --threads 1 \
      --final-beam "$beam" --setting lm=default "$data/dev_voice" "$data/dev_seen" 2>&1 \
      | grep RTF | sed "s|$out/$beam/lm/||; s/^/round $round, final beam $beam: /"
  done
done
