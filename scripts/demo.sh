#!/usr/bin/env bash
# The demo federation: one coordinator and four node agents, each its own OS process on 127.0.0.1, train FLamby's
# Fed-Heart-Disease FedAvg benchmark (15 rounds x 100 local SGD steps, batch 4, lr 0.001) on the UCI heart-disease
# data. The four UCI hospitals stand in for the four Swedish regions.
#
#   scripts/demo.sh [--seed N] [--out DIR] [--rounds N] [--spec FILE]
#
# Writes DIR/metrics.csv, DIR/global_model.safetensors, DIR/job.json and DIR/logs/*.log; stops every process it
# started, and exits 0 when the job succeeded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seed=42
out="$PWD/demo-output"
rounds=""
spec="$root/examples/heart-disease/fedavg.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
data="$root/data/heart-disease"

echo "building (Release)..."
dotnet build "$root/apps.slnf" -c Release -nologo -v q -clp:ErrorsOnly >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }
coordinator_dll=$(bin coordinator/FederatedCare.Coordinator FederatedCare.Coordinator)
agent_dll=$(bin node-agent/FederatedCare.NodeAgent FederatedCare.NodeAgent)
fedcare_dll=$(bin coordinator/FederatedCare.Cli fedcare)

# A free loopback port: nothing answers on it.
port=$(( 20000 + RANDOM % 20000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
address="http://127.0.0.1:$port"

# libtorch's OpenMP workers spin while idle; with five processes on two cores that makes training 50-100x slower.
# The variable must be in the environment before the process starts: native code never sees a later change.
export OMP_WAIT_POLICY=PASSIVE
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

rm -rf "$out/coordinator-data" "$out/logs"
mkdir -p "$out/logs"
start=$(date +%s.%N)
dotnet "$coordinator_dll" --urls "$address" --Coordinator:DataDirectory="$out/coordinator-data" \
  >"$out/logs/coordinator.log" 2>&1 &
pids+=($!)

# region=UCI file: the four UCI hospitals stand in for the four regions.
for pair in Halland=cleveland Karolinska=hungarian Sahlgrenska=switzerland Örebro=va; do
  region=${pair%%=*}; file=${pair#*=}
  dotnet "$agent_dll" \
    --NodeAgent:Region="$region" \
    --NodeAgent:CoordinatorAddress="$address" \
    --NodeAgent:Datasets:heart-disease:Format=uci-heart-disease \
    --NodeAgent:Datasets:heart-disease:Path="$data/processed.$file.data" \
    --NodeAgent:Datasets:heart-disease:SplitFile="$data/flamby_split.csv" \
    >"$out/logs/node-$file.log" 2>&1 &
  pids+=($!)
done

fedcare() { dotnet "$fedcare_dll" --coordinator "$address" "$@"; }
fedcare health --wait 30 >/dev/null
echo "coordinator on $address; 4 node agents: Halland<-Cleveland, Karolinska<-Hungary, Sahlgrenska<-Switzerland, Örebro<-VA Long Beach"
args=(submit "$spec" --seed "$seed" --watch --out "$out")
[ -n "$rounds" ] && args+=(--rounds "$rounds")
status=0
fedcare "${args[@]}" || status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v o="$out" 'BEGIN { printf "total %.1f s (process start-up included); results in %s\n", e - s, o }'
exit $status
