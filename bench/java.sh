#!/usr/bin/env bash
# Builds asr-core and the benchmarks, then runs one benchmark class: bench/java.sh CLASS [ARGS...]
# JAVA_OPTS, if set, goes to the JVM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl bench -am install -DskipTests
cp_file="$root/bench/target/classpath.txt"
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -cp "$root/bench/target/classes:$(cat "$cp_file")" "$@"
