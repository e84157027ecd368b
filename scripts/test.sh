#!/usr/bin/env bash
# Builds the solution and runs every test project (unit tests, integration tests over loopback gRPC), with a
# throw-away PostgreSQL server (scripts/lib/postgres.sh) unless FEDCARE_TEST_POSTGRES names one.
#   scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# OMP_WAIT_POLICY and MKL_CBWR for the node agents the integration tests start: see scripts/lib/federation.sh.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 OMP_WAIT_POLICY=PASSIVE MKL_CBWR=AUTO
dotnet build "$root/FederatedCare.sln" -c Release -nologo -v q
log=$(mktemp)
source "$root/scripts/lib/postgres.sh"
trap 'rm -f "$log"; stop_test_postgres' EXIT
# The PostgreSQL store's tests need a server: a throw-away one when none is given and PostgreSQL is installed
# (without one they fail and say how to start it).
if [ -z "${FEDCARE_TEST_POSTGRES:-}" ] && test_postgres_bin >/dev/null; then start_test_postgres; fi
status=0
dotnet test "$root/FederatedCare.sln" -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line over all test projects.
awk '/(Passed|Failed)! +- +Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
