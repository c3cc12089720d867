#!/usr/bin/env bash
# Decodes the recipe's held-out sets with a model directory and its word LM under several LM
# weightings (LmTuning: streaming chunk 16, attention rescoring, as the product decodes), and
# prints WER / CER per set and setting; the JSON goes to OUT/scores.json.
#   bench/lm-tuning/run.sh MODEL_DIR OUT "NAME=off" "NAME=default" "NAME=WEIGHT,BONUS,PENALTY,RESCORING" ...
# (default: the runtime's default weights, LanguageModelFusion.Weights.DEFAULTS)
# Data: the sets named by SETS (default: dev_seen dev_accent dev_voice) under training/work/data
# (training/run.sh 1 1 makes them, dev_calls, the long call-leg streams, and dev_fresh, hand-written sentences
# from none of the recipe's text sources). BEAM, if set, is the
# prefix beam width for every setting, FINAL_BEAM that of the finals' full-context pass, CTC_WEIGHT the CTC score's weight in the rescoring, RESCORING_MARGIN how far below the best CTC + LM
# score a hypothesis is still rescored by the attention decoder (Infinity: all), FEATURE_NORMALIZATION how far
# each stream's fbank frames move from their running mean to the training mean (default:
# the runtime's); STREAMING_FINALS=1 rescores the streaming encoder output for finals, as WeNet does,
# instead of the utterance encoded again in full context (the runtime's default).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model=$(realpath "$1"); out=$(realpath -m "$2"); shift 2
data="$root/training/work/data"
lm=""
for f in "$model/lm.arpa" "$model/lm.arpa.gz"; do
  if [ -f "$f" ]; then lm=$f; break; fi
done
[ -n "$lm" ] || { echo "$model has no lm.arpa[.gz]" >&2; exit 2; }
args=()
for setting in "$@"; do args+=(--setting "$setting"); done
rm -rf "$out"
"$root/bench/java.sh" io.captioner.bench.LmTuning --model "$model" --lm "$lm" --out "$out" --threads 2 \
  ${BEAM:+--beam "$BEAM"} ${FINAL_BEAM:+--final-beam "$FINAL_BEAM"} ${CTC_WEIGHT:+--ctc-weight "$CTC_WEIGHT"} ${RESCORING_MARGIN:+--rescoring-margin "$RESCORING_MARGIN"} ${FEATURE_NORMALIZATION:+--feature-normalization "$FEATURE_NORMALIZATION"} ${STREAMING_FINALS:+--streaming-finals} \
  "${args[@]}" $(for set in ${SETS:-dev_seen dev_accent dev_voice}; do echo "$data/$set"; done)
cd "$root/training" && /usr/bin/python3 -m captrain.score --tree "$out" --data-root "$data" --json "$out/scores.json"
