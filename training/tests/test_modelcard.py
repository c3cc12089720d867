"""What the model card says of a run's regularisation and of its corpus's voices (captrain.modelcard)."""
import pytest

from captrain import modelcard


def test_the_card_names_each_augmentation_the_run_used_and_only_those():
    plain = modelcard.regularisation_sentence({"dropout": 0.0}, {"time_mask": 40})
    assert plain == "SpecAugment (2 time masks of up to 40 frames, 2 frequency masks of up to 8 bins), no dropout."
    voiced = modelcard.regularisation_sentence(
        {"dropout": 0.1}, {"time_mask": 40, "freq_warp": 0.15, "tilt": 1.5, "tempo": 0.1}
    )
    assert "warp of the features by a factor in 1 ± 0.15" in voiced
    assert "spectral tilt of up to ±1.5" in voiced and "speaking-rate change by a factor in 1 ± 0.1" in voiced
    assert voiced.endswith(", dropout 0.1.")


def test_the_card_counts_the_neural_voices_from_the_utterance_ids(tmp_path):
    ids = [
        "train-espeak-en-us-000001",
        "train-piper-joe-000002",
        "train-hibari-heart-000003",
        "train-hibari-heart-4",
        "train-hibari-speaker-heart-gb-000005",
    ]
    with open(tmp_path / "wav.scp", "w") as scp:
        for i, utt in enumerate(ids):
            wav = tmp_path / f"{utt}.wav"
            wav.write_bytes(bytes(44 + 2 * 8000 * (i + 1)))  # a 44-byte header and i + 1 seconds at 8 kHz
            scp.write(f"{utt} {wav}\n")
    utterances, hours, neural = modelcard.corpus_size(str(tmp_path))
    assert (utterances, round(hours * 3600), neural) == (5, 15, {"piper": 1, "hibari": 2, "hibari-speaker": 1})
    corpus = (utterances, hours, neural)
    assert modelcard.neural_voices_phrase(corpus) == ", one Piper and one hibari neural voices,"
    described = modelcard.neural_voices_description(corpus)
    assert "joe (a real speaker's, 1 utterances)" in described and "af_heart, 2 utterances)" in described
    assert "inside hibari's vocoder (1 utterances" in described
    assert "Kokoro-82M voices that" not in described
    assert modelcard.neural_voices_phrase((4, hours, {"kokoro": 4})) == ", and five Kokoro neural voices,"
    assert modelcard.neural_voices_phrase((4, hours, {})) == ""
    assert modelcard.synthesis_engines_phrase(corpus) == "espeak-ng and flite voices"


@pytest.mark.parametrize(
    "counts, utterance, engines, neural, described",
    [
        (
            {"hibari": 1, "pico": 2},
            "train-pico-en-GB-000004",
            "espeak-ng, flite and SVOX Pico voices",
            ", and one hibari neural voice,",
            "SVOX Pico's two English voices (American and British women's, from py-nanotts; 2 utterances",
        ),
        (
            {"pico": 2, "gnuspeech": 3},
            "train-gnuspeech-female-000005",
            "espeak-ng, flite, SVOX Pico and GnuSpeech voices",
            "",
            "GnuSpeech's man and woman (an articulatory synthesiser, from npm's gnuspeech-wasm; 3 utterances",
        ),
        (
            {"pico": 2, "vocoded": 4},
            "train-vocoded-000006",
            "espeak-ng, flite and SVOX Pico voices",
            "",
            "made parametric by the WORLD vocoder (4 utterances",
        ),
    ],
)
def test_pico_gnuspeech_and_vocoded_speech_are_named_with_espeak_ng_and_flite_not_among_the_neural_voices(
    counts, utterance, engines, neural, described
):
    corpus = (sum(counts.values()), 0.01, counts)
    assert modelcard.engine_of(utterance) == utterance.split("-")[1]
    assert modelcard.engine_of("train-vocoded-hibari-speaker-heart-gb-000007") == "vocoded"
    assert modelcard.synthesis_engines_phrase(corpus) == engines
    assert modelcard.neural_voices_phrase(corpus) == neural
    assert described in modelcard.neural_voices_description(corpus)


def test_the_fresh_sentences_known_limit_names_both_figures(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text('{"lm": {"dev_fresh": {"wer": 38.34, "cer": 20.1}, "all": {"wer": 20.6, "cer": 10.9}}}')
    assert modelcard.fresh_limit(str(path)) == [
        "- The held-out sentences share their sources with the training and LM text; on sentences from none of "
        "them (dev_fresh) the WER with the LM is 38.3%, against 20.6% on the three sentence sets."
    ]
    path.write_text('{"lm": {"all": {"wer": 20.6, "cer": 10.9}}}')
    assert modelcard.fresh_limit(str(path)) == [] and modelcard.fresh_limit(None) == []


def test_a_grown_run_names_the_grow_step_and_is_not_called_resumed():
    run = {"grown_from": "../models/u2pp-moe-telephony", "grown_insert_at": "3,6", "resumed_at_update": None}
    assert (
        modelcard.grow_command(run, "work/exp/moe17")
        == "python3 -m captrain.grow --from ../models/u2pp-moe-telephony --insert-at 3,6 --exp work/exp/moe17"
    )
    sentence = modelcard.schedule_sentence({"processes": 2}, None, run)
    assert "`u2pp-moe-telephony` made deeper: new encoder blocks at positions 3,6" in sentence
    assert "resumed" not in sentence
    assert modelcard.grow_command({"resumed_at_update": 5}, "x") is None
