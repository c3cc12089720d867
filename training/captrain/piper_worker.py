"""Speaks sentences with a Piper neural voice, for captrain.synth; runs under the interpreter that has
piper-tts (training/setup.sh pypi puts it in work/pypi-venv), not Debian's, so it imports nothing of captrain.

  work/pypi-venv/bin/python captrain/piper_worker.py
Reads one JSON object a line, {"voice", "text", "out", "length_scale", "noise_scale", "noise_w"}, writes
the wav to "out" and answers "ok" (or "error: ..."), one line each; voices are loaded once. "voice" is
the name of an installed Python package that bundles a Piper voice (model_path(), config_path()).
"""
import importlib
import json
import sys
import wave

from piper import PiperVoice, SynthesisConfig


def main():
    voices = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            name = request["voice"]
            if name not in voices:
                package = importlib.import_module(name)
                voices[name] = PiperVoice.load(str(package.model_path()), config_path=str(package.config_path()))
            config = SynthesisConfig(
                length_scale=request["length_scale"],
                noise_scale=request["noise_scale"],
                noise_w_scale=request["noise_w"],
            )
            with wave.open(request["out"], "wb") as w:
                voices[name].synthesize_wav(request["text"], w, syn_config=config)
            print("ok", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the caller, which skips the utterance
            print(f"error: {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
