#!/usr/bin/env bash
# FLamby's Fed-Heart-Disease benchmark on FederatedCare: pooled (in one process, a reference only), the four local
# baselines and FedAvg, FedProx, SCAFFOLD, FedAdam, FedYogi and FedAdagrad with FLamby's hyperparameters
# (examples/heart-disease/*.json), each for seeds 42-46. The federated methods and the local baselines run as jobs on
# a real coordinator and four node agents (separate processes on 127.0.0.1), started once.
#
#   scripts/benchmark-heart-disease.sh [--out DIR] [--seeds 42,43,44,45,46]
#
# Writes DIR/benchmark.csv (method,seed,halland,karolinska,sahlgrenska,orebro,mean,wall_s) and prints each method's
# seed-mean beside FLamby's published figure.
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

out="$PWD/benchmark-output"
seeds="42,43,44,45,46"
while [ $# -gt 0 ]; do
  case "$1" in --out|--seeds) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "building (Release)..."
build_apps "$out/build.log"
dotnet build "$root/tests/FederatedCare.Benchmarks" -c Release -nologo -v q -clp:ErrorsOnly >>"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

start_federation "$out"
echo "federation up on $address"
dotnet "$(bin tests/FederatedCare.Benchmarks FederatedCare.Benchmarks)" heart-disease \
  --coordinator "$address" --specs "$root/examples/heart-disease" --data "$data" --out "$out" --seeds "$seeds"
