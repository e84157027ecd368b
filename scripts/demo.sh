#!/usr/bin/env bash
# The demo federation: one coordinator and four node agents, each its own OS process on 127.0.0.1, train FLamby's
# Fed-Heart-Disease FedAvg benchmark (15 rounds x 100 local SGD steps, batch 4, lr 0.001) on the UCI heart-disease
# data. The four UCI hospitals stand in for the four regions.
#
#   scripts/demo.sh [--seed N] [--out DIR] [--rounds N] [--spec FILE] [--port N] [--linger S] [--tls]
#
# DIR defaults to ./demo-output; each run replaces the previous run's results there. Writes DIR/metrics.csv
# (per-round test metrics), DIR/accuracy.svg (their chart), DIR/cross_site.csv, DIR/train_metrics.csv,
# DIR/global_model.safetensors, DIR/job.json, DIR/logs/*.log, DIR/profiles, DIR/state, DIR/coordinator-data and
# DIR/build.log; stops every process it started, and exits 0 when the job succeeded. --tls: provisions a new
# federation CA and certificates into DIR/certs and runs everything over mutual TLS (default: plaintext on loopback).
# --port: the coordinator's gRPC port (default: a free one). The dashboard (with /metrics, /healthz, /readyz) is on
# another free loopback port, printed as "dashboard: URL" once the coordinator is up. --linger S: after the job, the
# federation and its dashboard stay up S seconds (default 15), so the final state can be looked at and queried
# (`fedcare jobs`, the dashboard); 0 exits at once, Ctrl-C ends the wait.
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

seed=42
out="$PWD/demo-output"
rounds=""
linger=15
spec="$root/examples/heart-disease/fedavg.json"
tls=false
while [ $# -gt 0 ]; do
  case "$1" in --seed|--out|--rounds|--spec|--port|--linger) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --spec) spec="$2"; shift 2 ;;
    --port) grpc_port="$2"; shift 2 ;;
    --linger) linger="$2"; shift 2 ;;
    --tls) tls=true; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$seed" =~ ^-?[0-9]+$ ]] || { echo "--seed must be an integer, got '$seed'" >&2; exit 2; }
[ -z "$rounds" ] || [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ "$linger" =~ ^[0-9]+$ ]] || { echo "--linger must be a whole number of seconds, got '$linger'" >&2; exit 2; }
[ -z "${grpc_port:-}" ] || [[ "$grpc_port" =~ ^[1-9][0-9]*$ && "$grpc_port" -lt 65536 ]] || { echo "--port must be a TCP port (1-65535), got '$grpc_port'" >&2; exit 2; }
[ -f "$spec" ] || { echo "job spec '$spec' does not exist" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
# A run's results replace the previous run's: nothing of an earlier job (e.g. its cross-site matrix) may stay behind.
rm -rf "$out"/{metrics.csv,train_metrics.csv,cross_site.csv,accuracy.svg,global_model.safetensors,job.json,profiles,certs}

echo "building (Release)..."
build_apps "$out/build.log"

start=$(date +%s.%N)
if $tls; then
  provision_federation "$out/certs"
  echo "mutual TLS: federation CA and certificates in $out/certs (the CA key too: a demo only)"
fi
start_federation "$out"
echo "coordinator on $address; 4 node agents: Halland<-Cleveland, Karolinska<-Hungary, Sahlgrenska<-Switzerland, Örebro<-VA Long Beach"
echo "dashboard: $dashboard"
args=(submit "$spec" --seed "$seed" --watch --out "$out")
[ -n "$rounds" ] && args+=(--rounds "$rounds")
status=0
fedcare_interruptible "${args[@]}" || status=$?
end=$(date +%s.%N)
if [ "$linger" -gt 0 ]; then
  echo "the federation and its dashboard ($dashboard) stay up ${linger} s more (--linger 0: exit at once; Ctrl-C ends the wait)"
  # In the background and waited for, so that Ctrl-C is handled at once.
  sleep "$linger" &
  pids+=($!)
  wait $! || true
fi
stop_federation
awk -v s="$start" -v e="$end" -v o="$out" 'BEGIN { printf "total %.1f s (process start-up included); results in %s\n", e - s, o }'
exit $status
