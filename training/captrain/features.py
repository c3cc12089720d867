"""Front end shared by training, evaluation and the contract references: Kaldi fbank on
int16-valued samples, exactly the settings WeNet's runtime uses."""
import wave
from dataclasses import dataclass

import numpy as np
import torch
import torchaudio

SAMPLE_RATE = 8000
NUM_MEL_BINS = 80


def read_wav(path, sample_rate=SAMPLE_RATE):
    """Mono int16-valued float tensor [N] at sample_rate (resampled if the file differs)."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit PCM, got {8 * w.getsampwidth()}-bit")
        rate, channels = w.getframerate(), w.getnchannels()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    x = torch.from_numpy(pcm.astype(np.float32))
    if channels > 1:
        x = x.view(-1, channels)[:, 0]
    if rate != sample_rate:
        x = torchaudio.functional.resample(x.unsqueeze(0), rate, sample_rate).squeeze(0)
    return x


def fbank(samples, sample_rate=SAMPLE_RATE):
    """samples: int16-valued float tensor [N] → [frames, 80] log-mel filterbank."""
    return torchaudio.compliance.kaldi.fbank(
        samples.unsqueeze(0),
        num_mel_bins=NUM_MEL_BINS,
        frame_length=25,
        frame_shift=10,
        dither=0.0,
        energy_floor=0.0,
        sample_frequency=sample_rate,
    )


@dataclass(frozen=True)
class Augmentation:
    """What training changes in an utterance's fbank each time it is drawn. The mild masks suit short
    runs that see each utterance a few times; longer runs over a small set of voices begin to fit the
    voices, and a stronger setting (wider time masks, a vocal-tract warp) keeps them general."""

    max_time_mask: int = 20  # frames per time mask (WeNet: 50)
    max_freq_mask: int = 8  # mel bins per frequency mask (WeNet: 10)
    max_warp: float = 0.0  # frequencies scaled by a factor drawn from 1 +- max_warp
    max_tilt: float = 0.0  # log-energy added at the top bin less the bottom one, drawn from +- max_tilt
    max_tempo: float = 0.0  # speaking rate scaled by a factor drawn from 1 +- max_tempo

    def apply(self, feats, rng):
        if self.max_tempo:
            feats = change_tempo(feats, float(rng.uniform(1 - self.max_tempo, 1 + self.max_tempo)))
        if self.max_warp:
            feats = warp_frequencies(feats, float(rng.uniform(1 - self.max_warp, 1 + self.max_warp)))
        if self.max_tilt:
            feats = tilt_spectrum(feats, float(rng.uniform(-self.max_tilt, self.max_tilt)))
        return spec_augment(feats, rng, max_t=self.max_time_mask, max_f=self.max_freq_mask)


def _mel(hz):
    return 1127.0 * np.log1p(np.asarray(hz, dtype=np.float64) / 700.0)


def warp_frequencies(feats, factor, sample_rate=SAMPLE_RATE, low_hz=20.0):
    """The fbank of the same speech from a vocal tract `factor` times shorter (VTLP): what a bin's centre
    frequency f shows after the warp is what the input showed at f / factor, read off the input's mel
    bins by linear interpolation (clamped at both ends). Bin centres as Kaldi's fbank places them."""
    bins = feats.size(1)
    low, high = _mel(low_hz), _mel(sample_rate / 2)
    step = (high - low) / (bins + 1)
    centres_mel = low + step * np.arange(1, bins + 1)
    centres_hz = 700.0 * np.expm1(centres_mel / 1127.0)
    source = np.clip((_mel(centres_hz / factor) - low) / step - 1, 0, bins - 1)
    below = np.floor(source).astype(np.int64)
    above = np.minimum(below + 1, bins - 1)
    weight = torch.from_numpy(source - below).to(feats.dtype)
    return feats[:, below] * (1 - weight) + feats[:, above] * weight


def tilt_spectrum(feats, tilt):
    """The fbank of the same speech with a different spectral slope (a breathier or a more pressed voice, another
    handset): `tilt` natural-log units of energy added at the top bin, half that at the middle, none at the bottom."""
    ramp = torch.linspace(0.0, tilt, feats.size(1), dtype=feats.dtype)
    return feats + ramp


def change_tempo(feats, factor):
    """The fbank of the same speech spoken `factor` times faster (the pitch and the spectrum kept): frames
    read off the input at steps of `factor` frames, by linear interpolation."""
    frames = feats.size(0)
    length = max(1, int(round(frames / factor)))
    source = torch.clamp(torch.arange(length, dtype=torch.float64) * factor, max=frames - 1)
    below = source.floor().long()
    above = torch.clamp(below + 1, max=frames - 1)
    weight = (source - below).to(feats.dtype).unsqueeze(1)
    return feats[below] * (1 - weight) + feats[above] * weight


def spec_augment(feats, rng, num_t_mask=2, num_f_mask=2, max_t=20, max_f=8):
    """SpecAugment (time and frequency masks) on one utterance, on a copy."""
    y = feats.clone()
    T, F = y.shape
    for _ in range(num_t_mask):
        width = int(rng.integers(1, max_t + 1))
        width = min(width, max(1, T // 10))
        start = int(rng.integers(0, max(1, T - width)))
        y[start : start + width, :] = 0
    for _ in range(num_f_mask):
        width = int(rng.integers(1, max_f + 1))
        start = int(rng.integers(0, F - width))
        y[:, start : start + width] = 0
    return y
