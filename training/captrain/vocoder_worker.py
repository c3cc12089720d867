"""Passes a synthesiser's speech through the WORLD vocoder (pyworld, from PyPI) the way a statistical
parametric voice makes its sound, for captrain.synth; runs under the interpreter that has pyworld
(training/setup.sh pypi puts it in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/vocoder_worker.py
Reads one JSON object a line, {"in", "out", "dimensions", "smooth_frames", "flatten", "f0_factor", "f0_range",
"f0_smooth_frames", "warp", "breathiness", "noise_slope"}, writes a 16-bit wav at the input's rate to "out"
and answers "ok" (or "error: ..."), one line each.

A statistical parametric voice (flite's clustergen voices, SVOX Pico) speaks from averaged parameters: a
spectral envelope of a few dozen mel-cepstral dimensions whose trajectories are smoothed and whose
variance is too small (over-smoothing), a mixed excitation, and a smooth F0 contour. The worker
analyses the speech (F0 and envelope), reduces the envelope to "dimensions" coded dimensions, smooths them
over "smooth_frames" 5 ms frames and pulls them towards their means by "flatten" (0: as analysed, 1:
constant), warps the frequency axis by "warp" (a vocal tract that much shorter), smooths F0 over
"f0_smooth_frames", scales it by "f0_factor" and its excursions by "f0_range", takes a mixed excitation's
aperiodicity ("breathiness", "noise_slope"; mixed_excitation), and synthesises again. WORLD's synthesis
draws its noise from a fixed seed, so one request always gives the same audio.
"""
import json
import sys
import wave

import numpy as np
import pyworld

FRAME_MS = 5.0


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(
                f"{path}: expected 16-bit mono, got {w.getnchannels()} channels of {w.getsampwidth()} bytes"
            )
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return pcm.astype(np.float64) / 32768.0, rate


def smooth(track, frames):
    """A moving average of each column over `frames` frames (odd; 1 leaves the track as it is)."""
    if frames <= 1:
        return track
    kernel = np.ones(frames) / frames
    padded = np.pad(track, ((frames // 2, frames // 2), (0, 0)), mode="edge")
    return np.stack([np.convolve(padded[:, d], kernel, mode="valid") for d in range(track.shape[1])], axis=1)


def warp_frequencies(envelope, factor):
    """Each frame's envelope read at frequencies scaled by 1/factor: formants move up by `factor`."""
    bins = envelope.shape[1]
    source = np.clip(np.arange(bins) / factor, 0, bins - 1)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, bins - 1)
    part = source - low
    return envelope[:, low] * (1 - part) + envelope[:, high] * part


def shape_f0(f0, smooth_frames, factor, excursion):
    voiced = f0 > 0
    if not voiced.any():
        return f0
    log_f0 = np.log(np.where(voiced, f0, 1.0))
    # fill the unvoiced gaps so that the moving average does not drag the edges of voiced stretches down
    filled = np.interp(np.arange(len(f0)), np.flatnonzero(voiced), log_f0[voiced])
    filled = smooth(filled[:, None], smooth_frames)[:, 0]
    mean = filled[voiced].mean()
    shaped = np.exp(mean + (filled - mean) * excursion) * factor
    return np.where(voiced, shaped, 0.0)


def mixed_excitation(frames, bins, breathiness, slope):
    """An aperiodicity that a parametric voice's mixed excitation gives every voiced frame: `breathiness`
    of noise at the lowest frequencies, rising as (frequency / Nyquist) ** slope to all noise at the top
    (the synthesis makes unvoiced frames of noise alone)."""
    rising = breathiness + (1 - breathiness) * (np.arange(bins) / (bins - 1)) ** slope
    return np.tile(np.clip(rising, 0.001, 1.0), (frames, 1))


def vocode(x, rate, request):
    f0, times = pyworld.dio(x, rate, f0_floor=60.0, f0_ceil=500.0, frame_period=FRAME_MS)
    f0 = pyworld.stonemask(x, f0, times, rate)
    envelope = pyworld.cheaptrick(x, f0, times, rate)
    fft_size = (envelope.shape[1] - 1) * 2

    coded = pyworld.code_spectral_envelope(envelope, rate, request["dimensions"])
    coded = smooth(coded, request["smooth_frames"])
    mean = coded.mean(axis=0)
    coded = mean + (coded - mean) * (1 - request["flatten"])
    envelope = pyworld.decode_spectral_envelope(coded, rate, fft_size)
    envelope = np.ascontiguousarray(warp_frequencies(envelope, request["warp"]))  # pyworld takes C order only

    aperiodicity = mixed_excitation(len(f0), envelope.shape[1], request["breathiness"], request["noise_slope"])

    f0 = shape_f0(f0, request["f0_smooth_frames"], request["f0_factor"], request["f0_range"])
    y = pyworld.synthesize(f0, envelope, aperiodicity, rate, FRAME_MS)
    peak = np.abs(y).max()
    if not np.isfinite(peak) or peak == 0:
        raise ValueError("the vocoder made silence")
    return y * (0.5 / peak)


def main():
    for line in sys.stdin:
        try:
            request = json.loads(line)
            x, rate = read_wav(request["in"])
            y = vocode(x, rate, request)
            with wave.open(request["out"], "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes((y * 32767).astype(np.int16).tobytes())
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
