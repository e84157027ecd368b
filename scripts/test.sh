#!/usr/bin/env bash
# Builds the solution and runs every test project (unit, integration over loopback gRPC).
#   scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 OMP_WAIT_POLICY=PASSIVE
dotnet build "$root/FederatedCare.sln" -c Release -nologo -v q
dotnet test "$root/FederatedCare.sln" -c Release --no-build -nologo "$@"
