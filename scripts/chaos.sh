#!/usr/bin/env bash
# Crash test with real processes: the heart-disease federation (one coordinator, four node agents) runs a job of
# --rounds rounds once without interruption, then once per kill point with the coordinator stopped at that point of
# one round (Coordinator:ChaosPauseAt), killed with SIGKILL (or SIGTERM for the graceful run), and restarted on the
# same port and data directory. Each interrupted job must end with the same per-round global model hashes, the same
# final model and the same metrics (evaluation, local training, cross-site) as the uninterrupted one.
#
#   scripts/chaos.sh [--seed N] [--rounds N] [--out DIR] [--spec FILE] [--points "KILL@POINT:ROUND ..."]
#
# Prints one line per kill point and exits 0 when every run matched the reference.
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

seed=42
rounds=10
out="$PWD/chaos-output"
spec="$root/examples/heart-disease/fedavg.json"
points="KILL@between-rounds:3 KILL@mid-download:4 KILL@mid-upload:5 KILL@mid-aggregation:6 KILL@mid-evaluation:7 TERM@mid-upload:8"
while [ $# -gt 0 ]; do
  case "$1" in --seed|--rounds|--out|--spec|--points) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    --points) points="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
job=chaos
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

echo "building (Release)..."
build_apps "$out/build.log"

# What must match: every round's model hash and participants, the metrics and the cross-site matrix, the final model.
fingerprint() {
  local dir=$1
  fedcare rounds "$job" >"$dir/rounds.txt"
  sha256sum "$dir/result/global_model.safetensors" | cut -c1-64 >"$dir/final.sha256"
}

run_reference() {
  local dir="$out/reference" start
  start=$(now)
  start_federation "$dir"
  fedcare submit "$spec" --seed "$seed" --rounds "$rounds" --job-id "$job" --watch --out "$dir/result" >"$dir/watch.log"
  fingerprint "$dir"
  stop_federation
  printf '%-34s %-10s %8s %9s  %s\n' "run" "signal" "kill→end s" "total s" "final model sha256 / verdict"
  printf '%-34s %-10s %8s %9s  %s\n' "reference (uninterrupted)" "-" "-" "$(elapsed "$start")" "$(cat "$dir/final.sha256")"
}

run_point() {
  local signal=${1%%@*} at=${1#*@} dir start crash verdict
  dir="$out/${signal,,}-${at/:/-r}"
  start=$(now)
  start_federation "$dir" --Coordinator:ChaosPauseAt="$at"
  fedcare submit "$spec" --seed "$seed" --rounds "$rounds" --job-id "$job" >/dev/null
  local waited=0
  until [ -f "$dir/coordinator-data/chaos-reached" ]; do
    sleep 0.1; waited=$(( waited + 1 ))
    [ $waited -lt 3000 ] || { echo "$at: never reached (see $dir/logs)"; return 1; }
  done
  crash=$(now)
  stop_coordinator "$signal"
  rm -f "$dir/coordinator-data/chaos-reached"
  start_coordinator "$dir"
  fedcare health --wait 30 >/dev/null
  fedcare watch "$job" --out "$dir/result" >"$dir/watch.log" || true
  fingerprint "$dir"
  stop_federation
  verdict=MATCH
  for f in rounds.txt final.sha256 result/metrics.csv result/train_metrics.csv result/cross_site.csv; do
    cmp -s "$out/reference/$f" "$dir/$f" || { verdict="DIFFERS ($f)"; failures=$(( failures + 1 )); break; }
  done
  printf '%-34s %-10s %8s %9s  %s %s\n' "$at" "SIG$signal" "$(elapsed "$crash")" "$(elapsed "$start")" "$(cat "$dir/final.sha256")" "$verdict"
}

failures=0
run_reference
for p in $points; do run_point "$p"; done
echo "$failures of $(wc -w <<<"$points") interrupted runs differ from the reference; results in $out"
[ $failures -eq 0 ]
