"""Front end shared by training, evaluation and the contract references: Kaldi fbank on
int16-valued samples, exactly the settings WeNet's runtime uses."""
import wave

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
        samples.unsqueeze(0), num_mel_bins=NUM_MEL_BINS, frame_length=25, frame_shift=10,
        dither=0.0, energy_floor=0.0, sample_frequency=sample_rate)


def spec_augment(feats, rng, num_t_mask=2, num_f_mask=2, max_t=20, max_f=8):
    """SpecAugment (time and frequency masks) on one utterance, on a copy. Milder than WeNet's
    defaults (50 frames, 10 bins): our runs see each utterance only a few times and underfit."""
    y = feats.clone()
    T, F = y.shape
    for _ in range(num_t_mask):
        width = int(rng.integers(1, max_t + 1))
        width = min(width, max(1, T // 10))
        start = int(rng.integers(0, max(1, T - width)))
        y[start:start + width, :] = 0
    for _ in range(num_f_mask):
        width = int(rng.integers(1, max_f + 1))
        start = int(rng.integers(0, F - width))
        y[:, start:start + width] = 0
    return y
