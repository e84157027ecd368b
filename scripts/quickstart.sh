#!/usr/bin/env bash
# The README's quick start, step by step, as an operator would type it: install `fedcare` as a .NET tool, provision a
# federation CA, start the coordinator and four node agents over mutual TLS, submit the heart-disease job and watch it
# in the terminal and on the dashboard, download the global model (its SHA-256 checked against the file) and write the
# researcher's report.
#
#   scripts/quickstart.sh [--out DIR] [--no-build]
#
# DIR (default ./quickstart-output) gets artifacts/ (the tool package), tools/ (the installed tool), pki/,
# coordinator-data/, state/, logs/, model.safetensors and report/. --no-build: use the Release build that is there
# (the test suite runs this script after its own build). Exits 0 when every step worked.
set -euo pipefail
source "$(dirname "$0")/lib/federation.sh"

out="$PWD/quickstart-output"
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }; out="$2"; shift 2 ;;
    --no-build) build=false; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out"/{artifacts,tools,pki,coordinator-data,state,profiles,logs,report,model.safetensors}
mkdir -p "$out/logs"
step() { printf '== %s\n' "$*"; }

if $build; then
  step "build"
  build_apps "$out/logs/build.log"
fi

step "install fedcare as a .NET tool"
dotnet pack "$root/coordinator/FederatedCare.Cli" -c Release --no-build -nologo -v q -o "$out/artifacts" >"$out/logs/pack.log" 2>&1 \
  || { cat "$out/logs/pack.log"; exit 1; }
dotnet tool install --tool-path "$out/tools" --add-source "$out/artifacts" FederatedCare.Cli >"$out/logs/tool-install.log" 2>&1 \
  || { cat "$out/logs/tool-install.log"; exit 1; }
tool="$out/tools/fedcare"
"$tool" --version

step "provision the federation (CA, coordinator, four regions, operator alice, researcher bob)"
"$tool" provision --out "$out/pki" --operators alice --researchers bob >"$out/logs/provision.out"
tls_dir="$out/pki"
coordinator_tls=(--Coordinator:Tls:CertificatePath="$tls_dir/coordinator.pem" --Coordinator:Tls:KeyPath="$tls_dir/coordinator-key.pem"
  --Coordinator:Tls:ClientCaPath="$tls_dir/ca.pem" --Coordinator:Tls:RevocationList="$tls_dir/crl.pem")
as_alice=(--cert "$tls_dir/operator-alice.pem" --key "$tls_dir/operator-alice-key.pem" --ca "$tls_dir/ca.pem")
# The operator's files for the CLI calls without explicit ones (the start-up health check).
export FEDCARE_CERT="$tls_dir/operator-alice.pem" FEDCARE_KEY="$tls_dir/operator-alice-key.pem" FEDCARE_CA="$tls_dir/ca.pem"
as_bob=(--cert "$tls_dir/researcher-bob.pem" --key "$tls_dir/researcher-bob-key.pem" --ca "$tls_dir/ca.pem")

step "start the coordinator and four node agents"
start_federation "$out"
echo "coordinator on $address; dashboard: $dashboard"
fc() { "$tool" --coordinator "$address" "$@"; }
fc nodes "${as_alice[@]}"

step "submit the job and watch it"
fc submit "$root/examples/heart-disease/fedavg.json" --watch "${as_alice[@]}" | tee "$out/logs/submit.log"
job=$(grep -oE '^job [0-9a-f]+ submitted' "$out/logs/submit.log" | head -1 | cut -d' ' -f2)
[ -n "$job" ] || { echo "no job id in the submit output" >&2; exit 1; }
fc status "$job" "${as_bob[@]}"

step "the dashboard"
page=$(curl -fsS "$dashboard")
grep -qi '<html' <<<"$page" || { echo "the dashboard at $dashboard served no page" >&2; exit 1; }
curl -fsS "${dashboard%/}/api/jobs" | grep -q "$job" || { echo "the dashboard's job list lacks $job" >&2; exit 1; }
echo "dashboard at $dashboard lists job $job"

step "download the global model (researcher bob)"
fc download "$job" --out "$out/model.safetensors" "${as_bob[@]}" | tee "$out/logs/download.log"
file_sha=$(sha256sum "$out/model.safetensors" | cut -d' ' -f1)
grep -q "$file_sha" "$out/logs/download.log" || { echo "download printed no hash equal to the file's SHA-256 ($file_sha)" >&2; exit 1; }

step "the report (researcher bob)"
fc report "$job" --out "$out/report" "${as_bob[@]}"
[ -s "$out/report/report.md" ] || { echo "no report/report.md" >&2; exit 1; }
stop_federation
echo "quick start done: job $job; model $out/model.safetensors (sha256 $file_sha); report $out/report/report.md"
