"""The corpus plan (captrain.synth.make_sets): Piper utterances, further renditions, Kokoro utterances, more
prose sentences, hibari utterances, hibari's new speakers, Pico's, GnuSpeech's and the vocoded ones come on top
of the rest; the phonemes the Kokoro voices are given; hibari_worker's speaker move, Pico's and the vocoder's
(with the PyPI venv only)."""
import json
import os
import random
import subprocess
import wave

import numpy as np
import pytest

from captrain import synth


HELD_OUT = ("dev_seen", "dev_accent", "dev_voice")


def plan_with_more(base, **more):
    """(the corpus plan with the options `base`, the training utterances that the options `more` add to it),
    after checking that they come after the plan's own training utterances and change nothing else."""
    before = synth.make_sets(7, 60, 90, 6, **base)
    after = synth.make_sets(7, 60, 90, 6, **base, **more)
    assert after["train"][: len(before["train"])] == before["train"]
    for name in HELD_OUT:
        assert after[name] == before[name]
    return before, after["train"][len(before["train"]) :]


def test_piper_utterances_are_added_after_an_unchanged_corpus():
    plain, added = plan_with_more({}, n_piper=5)
    assert len(added) == 5
    assert all(u.voice[0] == "piper" and u.voice[1] in synth.PIPER_TRAIN_VOICES and u.transform for u in added)
    held_out = {t for name in HELD_OUT for u in plain[name] for t in u.texts}
    trained = {t for u in plain["train"] for t in u.texts}
    assert all(u.texts[0] in trained and u.texts[0] not in held_out for u in added)
    assert synth.voice_name(added[0].voice) == "piper-joe"


def test_a_second_rendition_speaks_every_training_sentence_again_in_other_voices():
    once, again = plan_with_more(dict(n_piper=5), renditions=2)
    first = [u for u in once["train"] if u.voice[0] != "piper"]
    sentences = lambda utterances: sorted(t for u in utterances for t in u.texts)  # noqa: E731
    assert sentences(again) == sentences(first)
    assert all(u.transform and u.voice[0] in ("espeak", "flite") for u in again)
    voices_of = lambda utterances: {t: u.voice for u in utterances for t in u.texts}  # noqa: E731
    first_voice, again_voice = voices_of(first), voices_of(again)
    assert sum(first_voice[t] != again_voice[t] for t in first_voice) > 0.9 * len(first_voice)


def test_kokoro_utterances_come_last_in_blends_of_two_voices():
    before, added = plan_with_more(dict(n_piper=5, renditions=2), n_kokoro=8)
    assert len(added) == 8
    trained = {t for u in before["train"] for t in u.texts}
    for u in added:
        engine, (a, b) = u.voice
        assert engine == "kokoro" and a != b and {a, b} <= set(synth.KOKORO_TRAIN_VOICES)
        assert u.transform and len(u.texts) == 1 and u.texts[0] in trained
    assert synth.voice_name(("kokoro", ("jf_alpha", "jm_kumo"))) == "kokoro-jf_alpha-jm_kumo"


def test_more_prose_sentences_come_last_each_new_and_spoken_once():
    before, added = plan_with_more(dict(n_piper=5, renditions=2, n_kokoro=8), n_more_prose=40)
    said = [t for u in added for t in u.texts]
    assert len(said) == 40 and len(set(said)) == 40
    _, prose = synth.textgen.build_sentences(7, 60 + 3 * 6, 10**6)
    assert set(said) <= set(prose)
    spoken_before = {t for name in before for u in before[name] for t in u.texts}
    assert not set(said) & spoken_before
    assert all(u.transform and u.voice[0] in ("espeak", "flite") for u in added)


def test_hibari_utterances_come_last_and_say_training_sentences_more_prose_included():
    before, added = plan_with_more(dict(n_piper=5, renditions=2, n_kokoro=8, n_more_prose=40), n_hibari=300)
    assert len(added) == 300
    assert all(u.voice == ("hibari", "heart") and u.transform and len(u.texts) == 1 for u in added)
    said = {u.texts[0] for u in added}
    trained = {t for u in before["train"] for t in u.texts}
    without_more_prose = synth.make_sets(7, 60, 90, 6, n_piper=5, renditions=2, n_kokoro=8)
    more_prose = trained - {t for u in without_more_prose["train"] for t in u.texts}
    assert len(more_prose) == 40
    assert said <= trained and said & more_prose and said - more_prose
    assert synth.voice_name(added[0].voice) == "hibari-heart"


def test_hibari_speakers_come_last_untransformed_half_of_them_men_half_british():
    before, added = plan_with_more(dict(n_kokoro=8, n_more_prose=40, n_hibari=30), n_hibari_speakers=200)
    assert len(added) == 200
    assert all(u.voice[0] == synth.HIBARI_SPEAKER and not u.transform and len(u.texts) == 1 for u in added)
    british = [u for u in added if u.voice[1] == ("heart", "gb")]
    assert 70 < len(british) < 130 and all(u.voice[1] in (("heart", "gb"), ("heart", "us")) for u in added)
    trained = {t for u in before["train"] for t in u.texts}
    assert {u.texts[0] for u in added} <= trained
    assert synth.voice_name(british[0].voice) == "hibari-speaker-heart-gb"


def test_a_new_speaker_is_a_man_half_the_time_with_formants_lower_and_stays_in_its_ranges():
    rng = random.Random(3)
    speakers = [synth.new_speaker(rng) for _ in range(1000)]
    men = [s for s in speakers if s["pitch"] <= 0.7]
    assert 400 < len(men) < 600
    assert all(s["vocal_tract"] < 0.93 for s in men)
    assert all(0.5 <= s["pitch"] <= 1.3 and 0.82 <= s["vocal_tract"] <= 1.12 for s in speakers)


@pytest.mark.parametrize(
    "engine, voices, one_voice, earlier",
    [
        ("pico", synth.PICO_TRAIN_VOICES, "en-GB", dict(n_more_prose=40, n_hibari=30, n_hibari_speakers=20)),
        ("gnuspeech", synth.GNUSPEECH_TRAIN_VOICES, "female", dict(n_more_prose=40, n_hibari_speakers=20, n_pico=30)),
    ],
)
def test_pico_and_gnuspeech_utterances_come_last_in_both_voices_each_a_speaker_of_its_own(
    engine, voices, one_voice, earlier
):
    before, added = plan_with_more(earlier, **{f"n_{engine}": 200})
    assert len(added) == 200
    assert all(u.voice[0] == engine and not u.transform and len(u.texts) == 1 for u in added)
    in_one_voice = [u for u in added if u.voice == (engine, one_voice)]
    assert 70 < len(in_one_voice) < 130 and all(u.voice[1] in voices for u in added)
    assert {u.texts[0] for u in added} <= {t for u in before["train"] for t in u.texts}
    assert synth.voice_name(in_one_voice[0].voice) == f"{engine}-{one_voice}"


def test_vocoded_utterances_come_last_mostly_from_real_speakers_voices_and_never_from_a_held_out_one():
    before, added = plan_with_more(dict(n_more_prose=40, n_pico=30, n_gnuspeech=20), n_vocoded=400)
    assert len(added) == 400
    assert all(u.voice[0] == "vocoded" and not u.transform and len(u.texts) == 1 for u in added)
    sources = [u.voice[1][0] for u in added]
    assert 0.45 < sum(s in (synth.HIBARI_SPEAKER, "piper") for s in sources) / len(sources) < 0.65
    assert {"pico", "espeak", "flite"} <= set(sources)
    assert not {u.voice[1] for u in added} & {synth.HELDOUT_FLITE, ("flite", "awb")}
    assert all(u.voice[1][1][0] != synth.ESPEAK_HELDOUT_ACCENT for u in added if u.voice[1][0] == "espeak")
    assert {u.texts[0] for u in added} <= {t for u in before["train"] for t in u.texts}
    piper = next(u for u in added if u.voice[1][0] == "piper")
    assert synth.voice_name(piper.voice) == "vocoded-piper-joe"


def test_a_gnuspeech_man_has_a_longer_vocal_tract_and_lower_pitch_than_any_woman():
    rng = random.Random(4)
    men = [synth.gnuspeech_speaker("male", rng)["voice_params"] for _ in range(300)]
    women = [synth.gnuspeech_speaker("female", rng)["voice_params"] for _ in range(300)]
    assert min(m["vocal_tract_length"] for m in men) > max(w["vocal_tract_length"] for w in women) - 0.5
    assert max(m["reference_glottal_pitch"] for m in men) < min(w["reference_glottal_pitch"] for w in women)
    assert all(s["glottal_pulse_tn_min"] == s["glottal_pulse_tn_max"] for s in men + women)
    assert len({m["vocal_tract_length"] for m in men}) > 100


@pytest.mark.skipif(not synth.gnuspeech_available(), reason="needs Node.js and training/setup.sh npm's GnuSpeech")
def test_gnuspeech_worker_lowers_the_pitch_as_asked_repeats_itself_and_names_a_setting_it_lacks(tmp_path):
    base = {"voice": "male", "text": "thank you for calling how can i help you today"}
    requests = {
        "own": base,
        "octave-down": {**base, "voice_params": {"reference_glottal_pitch": -24}},
        "faster": {**base, "control_params": {"tempo": 1.25}},
        "own-again": base,
        "typo": {**base, "voice_params": {"vocal_tract_lenght": 16}},
    }
    lines = "".join(json.dumps({**r, "out": str(tmp_path / f"{n}.wav")}) + "\n" for n, r in requests.items())
    worker = os.path.join(os.path.dirname(synth.__file__), "gnuspeech_worker.mjs")
    answers = subprocess.run(
        ["node", worker, synth.GNUSPEECH_PACKAGE], input=lines, capture_output=True, text=True, check=True
    )
    assert answers.stdout.splitlines()[:4] == ["ok"] * 4
    assert "voice_male.txt has no setting vocal_tract_lenght" in answers.stdout.splitlines()[4]
    own, down = str(tmp_path / "own.wav"), str(tmp_path / "octave-down.wav")
    assert _median_f0(down) / _median_f0(own) == pytest.approx(0.5, abs=0.08)
    assert open(own, "rb").read() == open(tmp_path / "own-again.wav", "rb").read()
    with wave.open(str(tmp_path / "faster.wav")) as faster, wave.open(own) as normal:
        assert faster.getnframes() / normal.getnframes() == pytest.approx(1 / 1.25, abs=0.05)


@pytest.mark.skipif(not synth.piper_available(), reason="needs training/setup.sh pypi's venv with py-nanotts")
def test_a_pico_speaker_is_moved_to_the_pitch_drawn_for_it_and_made_the_same_whatever_came_before(
    tmp_path, monkeypatch
):
    text = "thank you for calling how can i help you today"
    made = {}
    speakers = (("own", (1.0, 1.0)), ("man", (0.6, 0.86)), ("man-again", (0.6, 0.86)), ("own-again", (1.0, 1.0)))
    for name, speaker in speakers:
        moved = {"pitch": speaker[0], "vocal_tract": speaker[1]}
        monkeypatch.setattr(synth, "new_speaker", lambda rng, moved=moved: moved)
        workdir = tmp_path / name
        workdir.mkdir()
        made[name] = synth.synth_raw(("pico", "en-US"), text, random.Random(5), str(workdir))
    assert _median_f0(made["man"]) / _median_f0(made["own"]) == pytest.approx(0.6, abs=0.08)
    assert open(made["man"], "rb").read() == open(made["man-again"], "rb").read()
    assert open(made["own"], "rb").read() == open(made["own-again"], "rb").read()
    with wave.open(made["own"]) as w:
        assert w.getframerate() == 16000 and w.getnframes() > 16000


@pytest.mark.skipif(not synth.piper_available(), reason="needs training/setup.sh pypi's venv with pyworld")
def test_vocoder_worker_moves_the_pitch_as_asked_repeats_itself_and_names_a_missing_setting(tmp_path):
    spoken = str(tmp_path / "spoken.wav")
    subprocess.run(
        [
            "flite",
            "-voice",
            "slt",
            "-t",
            "thank you for calling how can i help you today",
            "-o",
            str(tmp_path / "slt.wav"),
        ],
        check=True,
    )
    subprocess.run(synth.SOX + [str(tmp_path / "slt.wav"), "-r", "8000", spoken], check=True)
    settings = synth.vocoder_settings(random.Random(3))
    requests = {
        "as-drawn": {**settings, "f0_factor": 1.0},
        "lower": {**settings, "f0_factor": 0.6},
        "as-drawn-again": {**settings, "f0_factor": 1.0},
        "missing": {k: v for k, v in settings.items() if k != "warp"},
    }
    lines = "".join(
        json.dumps({**r, "in": spoken, "out": str(tmp_path / f"{n}.wav")}) + "\n" for n, r in requests.items()
    )
    worker = os.path.join(os.path.dirname(synth.__file__), "vocoder_worker.py")
    answers = subprocess.run([synth.PIPER_PYTHON, worker], input=lines, capture_output=True, text=True, check=True)
    assert answers.stdout.splitlines()[:3] == ["ok"] * 3
    assert answers.stdout.splitlines()[3] == "error: KeyError: 'warp'"
    made = {n: str(tmp_path / f"{n}.wav") for n in requests}
    assert _median_f0(made["lower"]) / _median_f0(made["as-drawn"]) == pytest.approx(0.6, abs=0.08)
    assert open(made["as-drawn"], "rb").read() == open(made["as-drawn-again"], "rb").read()
    with wave.open(made["as-drawn"]) as vocoded, wave.open(spoken) as source:
        assert vocoded.getframerate() == 8000
        assert vocoded.getnframes() == pytest.approx(source.getnframes(), rel=0.02)


def _median_f0(path):
    """Median over 85 ms frames of the F0 at which the harmonic product spectrum peaks (60-400 Hz)."""
    with wave.open(path) as w:
        rate, x = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    size, padded, estimates = 2048, 8 * 2048, []
    for start in range(0, len(x) - size, size // 2):
        frame = x[start : start + size] * np.hanning(size)
        if frame.std() < 300:
            continue
        spectrum = np.abs(np.fft.rfft(frame, padded))
        product = spectrum.copy()
        for h in (2, 3, 4):
            product[: len(spectrum) // h] *= spectrum[::h][: len(spectrum) // h]
        low, high = 60 * padded // rate, 400 * padded // rate
        estimates.append((low + int(np.argmax(product[low:high]))) * rate / padded)
    return float(np.median(estimates))


@pytest.mark.skipif(not synth.piper_available(), reason="needs training/setup.sh pypi's venv with hibari-tts")
def test_hibari_worker_moves_the_voice_to_a_lower_speaker_leaves_it_alone_at_factors_of_one_and_speaks_british(
    tmp_path,
):
    base = {"voice": "heart", "text": "thank you for calling how can i help you today", "speed": 1.0, "seed": 5}
    requests = {
        "own": base,
        "ones": {**base, "pitch": 1.0, "vocal_tract": 1.0},
        "man": {**base, "pitch": 0.55, "vocal_tract": 0.85},
        "british": {**base, "british": True},
    }
    lines = "".join(json.dumps({**r, "out": str(tmp_path / f"{n}.wav")}) + "\n" for n, r in requests.items())
    worker = os.path.join(os.path.dirname(synth.__file__), "hibari_worker.py")
    answers = subprocess.run([synth.PIPER_PYTHON, worker], input=lines, capture_output=True, text=True, check=True)
    assert answers.stdout.split() == ["ok"] * 4
    own, ones, man, british = (str(tmp_path / f"{n}.wav") for n in requests)
    assert open(own, "rb").read() == open(ones, "rb").read()
    assert os.path.getsize(man) == os.path.getsize(own)
    assert _median_f0(man) / _median_f0(own) == pytest.approx(0.55, abs=0.08)
    assert open(british, "rb").read() != open(own, "rb").read()


def test_kokoro_phonemes_write_diphthongs_and_affricates_as_one_symbol():
    words = "say my go now boy just check service".split()
    phonemes = [synth.kokoro_phonemes(w) for w in words]
    for word, symbol, p in zip(words, ["A", "I", "O", "W", "Y", "ʤ", "ʧ", "ɜɹ"], phonemes):
        assert symbol in p, (word, p)
    for p in phonemes:
        assert not any(pair in p for pair in ("eɪ", "aɪ", "oʊ", "aʊ", "ɔɪ", "dʒ", "tʃ", "ː")), p


def test_an_utterance_comes_out_byte_for_byte_the_same_every_time(tmp_path):
    utterance = synth.Utterance(["please hold the line"], ("espeak", ("en-us", "m3")), True, None)
    made = []
    for attempt in ("a", "b"):
        path = str(tmp_path / f"{attempt}.wav")
        assert synth._job(("utt", utterance, 1234, path)) is not None
        made.append(open(path, "rb").read())
    assert made[0] == made[1] and len(made[0]) > 44 + 8000
