#!/usr/bin/env bash
# Peak memory of fedcare-sim (issue 10: memory does not grow with the number of clients). Runs the Release simulator
# as its own process three times, 2 FedAvg rounds each on 800 synthetic training rows (200 test rows):
#   1.25 M parameters (--hidden 29070: (32 + 11)·29070 + 10 = 1 250 020) with 200 and with 400 clients,
#   12.5 M parameters (--hidden 290698: 12 500 024) with 200 clients,
# and reads each run's peak working set (VmHWM, the "peak working set N MB" line fedcare-sim prints at exit; MB = 10⁶
# bytes). Prints "sim_peak_mb_<model>_n<clients> N MB" lines and an OK/FAIL verdict for the two rules: the 1.25 M peaks
# at 200 and 400 clients within 10 % of each other, the 12.5 M peak below 1 GB (1000 MB). Exit 1 when a rule fails.
#
#   scripts/sim-memory.sh [--out DIR] [--parallelism 2]
#
# --parallelism: clients trained at once (default 2, so the figures do not depend on the machine's cores: every client
# in training holds two model-sized parameter sets, 100 MB each for 12.5 M parameters). Takes about 3 minutes on 2 cores.
# DIR (default a temporary folder) keeps each run's output and rounds.csv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=""
parallelism=2
while [ $# -gt 0 ]; do
  case "$1" in --out|--parallelism) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building fedcare-sim (Release)..."
dotnet build "$root/simulation/FederatedCare.Simulation" -c Release -nologo -v q -clp:ErrorsOnly >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
sim="$root/simulation/FederatedCare.Simulation/bin/Release/net10.0/fedcare-sim.dll"

# run NAME CLIENTS HIDDEN: one simulation; prints its peak in MB.
run() {
  local dir="$out/$1"
  mkdir -p "$dir"
  dotnet "$sim" --clients "$2" --hidden "$3" --rounds 2 --train-rows 800 --test-rows 200 --seed 42 \
    --parallelism "$parallelism" --out "$dir" >"$dir/output.txt" 2>&1 || { cat "$dir/output.txt" >&2; exit 1; }
  local peak
  peak=$(awk '/^peak working set/ { print $4 }' "$dir/output.txt")
  [ -n "$peak" ] || { echo "$1: fedcare-sim printed no peak working set" >&2; exit 1; }
  echo "$peak"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo) memory; parallelism $parallelism"
small_200=$(run p1.25m_n200 200 29070); echo "sim_peak_mb_p1.25m_n200 $small_200 MB"
small_400=$(run p1.25m_n400 400 29070); echo "sim_peak_mb_p1.25m_n400 $small_400 MB"
large_200=$(run p12.5m_n200 200 290698); echo "sim_peak_mb_p12.5m_n200 $large_200 MB"

status=0
verdict() { if [ "$1" = 1 ]; then echo "OK   $2"; else echo "FAIL $2"; status=1; fi; }
verdict "$(awk -v a="$small_200" -v b="$small_400" 'BEGIN { d = b - a; if (d < 0) d = -d; print (d <= 0.10 * a) ? 1 : 0 }')" \
  "1.25 M parameters: 400 clients peak within 10 % of 200 clients ($small_400 vs $small_200 MB)"
verdict "$(awk -v a="$large_200" 'BEGIN { print (a < 1000) ? 1 : 0 }')" \
  "12.5 M parameters, 200 clients: peak below 1 GB ($large_200 MB)"
exit $status
