#!/usr/bin/env bash
# Soak: the embedded demo (simulated Asterisk calls in real time, the shipped model, Kafka) under a steady
# load for MINUTES, the service process sampled every minute. Writes OUT/samples.tsv and OUT/summary.txt.
#   bench/soak/run.sh [MINUTES (30)] [CONCURRENT calls (8)] [OUT dir (bench/soak/results)]
# Growth is measured from the sample at WARMUP minutes (5) to the last one; the run passes when resident
# memory, native memory (Native Memory Tracking), threads and open files grew less than 5% and no audio
# frame was dropped. Run it on a quiet machine: a busy one drops frames because decoding falls behind.
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MINUTES=${1:-30}
CONCURRENT=${2:-8}
OUT=$(realpath -m "${3:-$home/bench/soak/results}")
WARMUP=${WARMUP:-5}
PORT=${PORT:-18480}
mkdir -p "$OUT"
cd "$home"

CAPTIONER_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${CAPTIONER_JAVA_OPTS:-}" \
  ./captioner demo --concurrent "$CONCURRENT" --http-port "$PORT" > "$OUT/demo.out" 2> "$OUT/demo.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the demo exited; see $OUT/demo.err" >&2; exit 1; }
  sleep 1
done

metric() { # sum of the samples of one metric family whose labels match $2 (a regex)
  awk -v name="$1" -v labels="${2:-}" '$1 ~ "^"name"({|$)" && $1 ~ labels { s += $2 } END { printf "%.0f", s }' "$OUT/metrics.txt"
}
status() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }

printf 'minute\trss_kb\tnative_committed_kb\theap_used_mb\tdirect_buffers_kb\tthreads\topen_files\tcpu_s\tcalls_ended\tfinals\tframes_dropped\tbacklog_dropped\tfinals_rejected\n' \
  > "$OUT/samples.tsv"
clock_ticks=$(getconf CLK_TCK)
for minute in $(seq 0 "$MINUTES"); do
  [ "$minute" -eq 0 ] || sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "the demo died at minute $minute; see $OUT/demo.err" >&2; exit 1; }
  curl -sf "http://127.0.0.1:$PORT/metrics" > "$OUT/metrics.txt"
  native=$(jcmd "$pid" VM.native_memory summary | awk -F'committed=' '/^Total:/ { sub(/KB.*/, "", $2); print $2 }')
  cpu=$(awk -v hz="$clock_ticks" '{ printf "%.0f", ($14 + $15) / hz }' "/proc/$pid/stat")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$minute" "$(status VmRSS)" "$native" \
    "$(( $(metric jvm_memory_used_bytes 'area="heap"') / 1048576 ))" \
    "$(( $(metric jvm_buffer_pool_used_bytes 'pool="direct"') / 1024 ))" "$(status Threads)" \
    "$(ls "/proc/$pid/fd" | wc -l)" "$cpu" "$(grep -c ' ended (' "$OUT/demo.out" || true)" \
    "$(metric captioner_captions_total 'kind="final"')" "$(metric captioner_frames_dropped_total)" \
    "$(metric captioner_backlog_frames_dropped_total)" "$(metric captioner_kafka_finals_rejected_total)" \
    | tee -a "$OUT/samples.tsv"
done
kill "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT

/usr/bin/env python3 - "$OUT" "$WARMUP" "$CONCURRENT" <<'PY' | tee "$OUT/summary.txt"
import csv, os, platform, sys
out, warmup, concurrent = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(os.path.join(out, "samples.tsv")), delimiter="\t"))
base = next(r for r in rows if int(r["minute"]) >= warmup)
last = rows[-1]
cpu = os.cpu_count()
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
minutes = int(last["minute"]) - int(base["minute"])
busy = (float(last["cpu_s"]) - float(base["cpu_s"])) / (60 * max(minutes, 1)) / cpu
print(f"soak: {last['minute']} min, {concurrent} concurrent calls, {cpu} cores ({model}), "
      f"service CPU {busy:.0%} of the machine after warm-up; {last['calls_ended']} calls ended, {last['finals']} finals")
failed = False
for key, label in [("rss_kb", "resident memory (KB)"), ("native_committed_kb", "native memory, NMT committed (KB)"),
                   ("threads", "threads"), ("open_files", "open files")]:
    growth = (float(last[key]) - float(base[key])) / float(base[key])
    failed |= growth >= 0.05
    print(f"{label:36s} minute {base['minute']}: {base[key]:>9s}  minute {last['minute']}: {last[key]:>9s}  growth {growth:+.1%}")
print(f"{'heap used (MB), direct buffers (KB)':36s} minute {base['minute']}: {base['heap_used_mb']:>5s} {base['direct_buffers_kb']:>5s}"
      f"  minute {last['minute']}: {last['heap_used_mb']:>5s} {last['direct_buffers_kb']:>5s}")
for key in ("frames_dropped", "backlog_dropped", "finals_rejected"):
    failed |= float(last[key]) > 0
    print(f"{key:36s} {last[key]}")
print("FAIL" if failed else "PASS: growth after warm-up under 5%, no frame dropped, no final rejected")
sys.exit(1 if failed else 0)
PY
