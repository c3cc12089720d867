#!/usr/bin/env bash
# Runs every property test of the parsers that read outside input (AudioSocket frames, WAV files,
# wav.scp lists, the configuration, the hotwords API's bodies) with TRIES tries each instead of the
# test suite's 1000 (jqwik's default). Fails on the first input that makes a parser throw anything
# but its own error; jqwik prints the shrunk input and the seed that reproduces it (log: OUT).
#   bench/fuzz/run.sh [TRIES (100000)] [OUT (bench/fuzz/fuzz.log)]
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIES=${1:-100000}
OUT=$(realpath -m "${2:-bench/fuzz/fuzz.log}")
mvn -B -q -Dstyle.color=never install -DskipTests
status=0
mvn -B -Dstyle.color=never -pl asr-core,connector,service test -Djqwik.tries.default="$TRIES" \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='WavReaderFuzzTest,WavScpFuzzTest,AudioSocketParserPropertyTest,ServiceSettingsFuzzTest,HotwordsRequestFuzzTest' \
  > "$OUT" 2>&1 || status=$?
grep -E "Tests run:.* in |tries = |Falsified|BUILD" "$OUT" || true
exit $status
