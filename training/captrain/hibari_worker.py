"""Speaks sentences with hibari's voice `heart` (hibari-tts on PyPI: a small model distilled from Kokoro-82M's
American English voice af_heart, bundled in the wheel), for captrain.synth; runs under the interpreter that
has it (training/setup.sh pypi puts it in work/pypi-venv), so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/hibari_worker.py
Reads one JSON object a line, {"text", "speed", "seed", "out"}, writes a 24 kHz wav to "out" and answers
"ok" (or "error: ..."), one line each. hibari's own front end reads the text; "seed" fixes the noise
component of its vocoder, so that one request always gives the same audio.
"""
import json
import sys

from hibari import Hibari


def main():
    tts = Hibari(voice="heart", threads=1)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            tts.save(request["text"], request["out"], speed=request["speed"], seed=request["seed"])
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
