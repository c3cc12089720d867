"""Speaks sentences with a voice that hibari-tts bundles (on PyPI; its wheel holds `heart`, a small model distilled
from Kokoro-82M's American English voice af_heart), for captrain.synth; runs under the interpreter that
has it (training/setup.sh pypi puts it in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/hibari_worker.py
Reads one JSON object a line, {"voice", "text", "speed", "seed", "out"}, writes a 24 kHz wav to "out" and
answers "ok" (or "error: ..."), one line each; voices are loaded once. hibari's own front end reads the
text; "seed" fixes the noise component of its vocoder, so that one request always gives the same audio.
"""
import json
import sys

from hibari import Hibari


def main():
    voices = {}
    for line in sys.stdin:
        try:
            request = json.loads(line)
            name = request["voice"]
            if name not in voices:
                voices[name] = Hibari(voice=name, threads=1)
            voices[name].save(request["text"], request["out"], speed=request["speed"], seed=request["seed"])
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
