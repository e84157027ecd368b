#!/usr/bin/env bash
# Soak benchmark: the heart-disease federation (real processes) runs a long job with no-op training (the agents run
# as `FederatedCare.Benchmarks noop-agent`: the real agent with the no-op trainer, every fit uploads a zero delta), evaluated only after rounds 0 and R, and the
# coordinator's resident memory (VmRSS) is sampled as rounds complete. Prints RSS at rounds 50 and R and the growth.
#
#   scripts/soak.sh [--rounds N (default 500)] [--out DIR]
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

rounds=500
out="$PWD/soak-output"
while [ $# -gt 0 ]; do
  case "$1" in --rounds|--out) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "building (Release)..."
build_apps "$out/build.log"
dotnet build "$root/tests/FederatedCare.Benchmarks" -c Release -nologo -v q -clp:ErrorsOnly >>"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

spec="$out/soak.json"
sed -e 's/"evaluate_every": 1/"evaluate_every": 0/' -e 's/"cross_site_validation": true/"cross_site_validation": false/' \
  "$root/examples/heart-disease/fedavg.json" >"$spec"

agent_dll=$(bin tests/FederatedCare.Benchmarks FederatedCare.Benchmarks)
agent_command=(noop-agent)
start_federation "$out"
fedcare submit "$spec" --rounds "$rounds" --job-id soak >/dev/null
rss() { awk '/VmRSS/ { print $2 }' "/proc/$coordinator_pid/status"; }
stored() { grep -c "Job soak round [0-9]*: global model" "$out/logs/coordinator.log" || true; }

echo "round,rss_kib" >"$out/rss.csv"
start=$(date +%s.%N)
next=10
while :; do
  done_rounds=$(( $(stored) - 1 ))
  if [ "$done_rounds" -ge "$next" ]; then
    echo "$done_rounds,$(rss)" >>"$out/rss.csv"
    next=$(( next + 10 ))
  fi
  [ "$done_rounds" -ge "$rounds" ] && break
  kill -0 "$coordinator_pid" 2>/dev/null || { echo "coordinator died"; exit 1; }
  sleep 0.2
done
end=$(date +%s.%N)
fedcare status soak
stop_federation
awk -F, -v r="$rounds" -v s="$start" -v e="$end" '
  NR > 1 && $1 >= 50 && !a { a = $2; ra = $1 }
  NR > 1 { last = $2; rl = $1; if ($2 > max) max = $2 }
  END {
    printf "rounds %d in %.1f s (%.0f ms/round)\n", r, e - s, 1000 * (e - s) / r
    printf "coordinator RSS at round %d: %.1f MiB; at round %d: %.1f MiB; peak %.1f MiB; growth %+.1f%%\n",
      ra, a / 1024, rl, last / 1024, max / 1024, 100 * (last - a) / a
  }' "$out/rss.csv"
