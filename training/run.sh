#!/usr/bin/env bash
# Regenerate the synthetic corpus and train the dense and MoE models from scratch (fixed seeds).
#   training/run.sh [first-stage [last-stage]]
#   stages: 1 corpus, 2 features, 3 train (both models at once), 4 export + contract references,
#           5 WER of both exported models on the three held-out sets + model cards (README.md)
# Everything is written under training/work/ (git-ignored); step 4 writes models/.
# Rerunning a stage resumes: training continues from work/exp/<name>/last.pt.
set -euo pipefail
cd "$(dirname "$0")"
FIRST=${1:-1}
LAST=${2:-5}
stage() { [ "$FIRST" -le "$1" ] && [ "$1" -le "$LAST" ]; }
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1   # one BLAS thread per job; oversubscribed OpenBLAS threads spin
PY=${PY:-/usr/bin/python3}
DATA=work/data
STEPS=${STEPS:-5500}           # updates for each model
MINUTES=${MINUTES:-130}        # wall-time guard per model (2 CPU cores, nothing else running)
MAX_FRAMES=${MAX_FRAMES:-4000} # padded input frames (10 ms) per batch: ~40 s of audio

if stage 1; then
  $PY -m captrain.synth --out $DATA --seed 1234 --train-template-sentences 4500 --dev-utts 120 --jobs 2
fi
if stage 2; then
  for set in train dev_seen dev_accent dev_voice; do
    $PY -c "from captrain import data; data.prepare_features('$DATA/$set', 'work/feats/$set.pt')"
  done
fi
if stage 3; then
  # Both models train at once, one thread each, for the same number of updates (as the paper
  # compares them); MINUTES only guards the wall time.
  mkdir -p work/exp
  train() {  # name experts threads
    OPENBLAS_NUM_THREADS=$3 OMP_NUM_THREADS=$3 $PY -m captrain.train --data $DATA/train \
      --cache work/feats/train.pt --dev $DATA/dev_seen --dev-cache work/feats/dev_seen.pt \
      --max-frames "$MAX_FRAMES" --checkpoint-every 50 --seed 777 --exp work/exp/$1 --experts $2 \
      --top-k 2 --threads $3 --max-steps "$STEPS" --max-minutes "$MINUTES" >> work/exp/$1.log 2>&1
  }
  train dense 0 1 &
  dense=$!
  train moe 7 1 &
  moe=$!
  wait $dense
  # The MoE model is ~1.8x slower per update; once the dense run is done it resumes on both cores.
  pkill -TERM -f "captrain.train .*--exp work/exp/moe " || true
  wait $moe || true
  train moe 7 2
fi
if stage 4; then
  $PY -m captrain.export --checkpoint work/exp/dense/last.pt --out ../models/u2pp-dense-telephony \
    --name u2pp-dense-telephony --contract-data $DATA/dev_voice
  $PY -m captrain.export --checkpoint work/exp/moe/last.pt --out ../models/u2pp-moe-telephony \
    --name u2pp-moe-telephony --contract-data $DATA/dev_voice
fi
if stage 5; then
  for name in u2pp-dense-telephony u2pp-moe-telephony; do
    $PY -m captrain.evaluate --model-dir ../models/$name --data $DATA/dev_seen --data $DATA/dev_accent \
      --data $DATA/dev_voice --json work/eval-$name.json | tee work/eval-$name.txt
  done
  $PY -m captrain.modelcard --model-dir ../models/u2pp-dense-telephony --exp work/exp/dense \
    --eval work/eval-u2pp-dense-telephony.json
  $PY -m captrain.modelcard --model-dir ../models/u2pp-moe-telephony --exp work/exp/moe \
    --eval work/eval-u2pp-moe-telephony.json
fi
