#!/usr/bin/env bash
# Scale benchmarks: aggregation throughput (N in {4,16,64} x P in {1M,10M,100M}) beside a single-threaded memory copy;
# loopback transfer of a 100M-parameter model each way through the real coordinator beside a bare gRPC byte stream;
# one FedAvg round of a 100M-parameter model with 4 no-op node agents; the coordinator's peak working set receiving
# 16 and 64 updates; a simulated round of 1000 clients (small MLP). Coordinators run as their own processes.
#
#   scripts/bench.sh [--out DIR] [--quick]
#
# Prints "metric value unit" lines (with the machine's core count) and writes DIR/bench.csv (metric,value,unit).
# Takes about 5 minutes on 2 cores and needs about 3 GB of memory. --quick: small sizes, a smoke test only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$PWD/bench-output"
quick=()
while [ $# -gt 0 ]; do
  case "$1" in --out) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --quick) quick=(--quick); shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building (Release)..."
dotnet build "$root/apps.slnf" -c Release -nologo -v q -clp:ErrorsOnly >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
dotnet build "$root/tests/FederatedCare.Benchmarks" -c Release -nologo -v q -clp:ErrorsOnly >>"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo) memory, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
dotnet "$root/tests/FederatedCare.Benchmarks/bin/Release/net10.0/FederatedCare.Benchmarks.dll" scale --out "$out" \
  --coordinator-dll "$root/coordinator/FederatedCare.Coordinator/bin/Release/net10.0/FederatedCare.Coordinator.dll" \
  --simulator-dll "$root/simulation/FederatedCare.Simulation/bin/Release/net10.0/fedcare-sim.dll" "${quick[@]}"
