#!/usr/bin/env bash
# The survival demo federation: one coordinator and four node agents, each its own OS process on 127.0.0.1, on the
# breast-cancer survival data (data/breast-cancer-survival: Rotterdam + GBSG cut into four stand-in regions; node
# configurations in examples/breast-cancer-survival/nodes, minimum cell count 10 in every region). Runs the analysis
# job examples/breast-cancer-survival/cox.json: the Cox model stratified by region (Efron ties), fitted exactly by
# Newton-Raphson on the regions' summed gradients and Hessians, and Harrell's C per region on its test rows.
#
#   scripts/survival-demo.sh [--out DIR]
#
# DIR defaults to ./survival-demo-output; each run replaces the previous run's results there. Writes
# DIR/cox_coefficients.csv (term,coef,se,... in R's term order), DIR/cox_loglik.csv (loglik_null,loglik_model,...),
# DIR/cindex.csv (region,c_index,...), DIR/km.csv, km_regions.csv, km_curves.csv, km_<region>.svg (Kaplan-Meier),
# DIR/logrank.csv, logrank_regions.csv, DIR/table1.csv (Table 1 per region and pooled), DIR/crosstab.csv (grade x
# hormon, small cells suppressed), DIR/job.json, DIR/logs/*.log, DIR/profiles and DIR/build.log; stops every process it started, and exits 0 when the job succeeded.
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

out="$PWD/survival-demo-output"
spec="$root/examples/breast-cancer-survival/cox.json"
while [ $# -gt 0 ]; do
  case "$1" in --out) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out"/{cox_coefficients.csv,cox_loglik.csv,cindex.csv,km.csv,km_regions.csv,km_curves.csv,logrank.csv,logrank_regions.csv,table1.csv,crosstab.csv,km_*.svg,job.json,profiles}

# The four regions of the survival data, each from its node configuration (config=log name).
nodes="$root/examples/breast-cancer-survival/nodes"
regions=(halland=halland karolinska=karolinska sahlgrenska=sahlgrenska orebro=orebro)

echo "building (Release)..."
build_apps "$out/build.log"

start=$(date +%s.%N)
start_federation "$out"
echo "coordinator on $address; 4 node agents: Halland, Karolinska, Sahlgrenska (Rotterdam), Örebro (GBSG)"
echo "dashboard: $dashboard"
status=0
fedcare_interruptible submit "$spec" --watch --out "$out" || status=$?
stop_federation
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v o="$out" 'BEGIN { printf "total %.1f s (process start-up included); results in %s\n", e - s, o }'
exit $status
