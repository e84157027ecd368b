# Shared by demo.sh and the benchmark scripts: build the apps, start one coordinator and the four heart-disease
# node agents as separate processes on 127.0.0.1, and stop them again. Source it; it defines:
#   build_apps LOGFILE          dotnet build (Release) of apps.slnf
#   start_federation DIR [ARGS] coordinator + 4 agents, logs in DIR/logs, state in DIR/coordinator-data; sets $address;
#                               ARGS go to the coordinator, the array $agent_args (if set) to every agent
#   start_coordinator DIR [ARGS] (re)starts the coordinator alone on $address with DIR's data; sets $coordinator_pid
#   stop_coordinator SIGNAL     sends SIGNAL (KILL, TERM) to the coordinator and waits for it to exit
#   fedcare ARGS...             the CLI against $address
#   stop_federation             SIGTERM to every process started (also runs on exit)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data="$root/data/heart-disease"
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }
coordinator_dll=$(bin coordinator/FederatedCare.Coordinator FederatedCare.Coordinator)
agent_dll=$(bin node-agent/FederatedCare.NodeAgent FederatedCare.NodeAgent)
fedcare_dll=$(bin coordinator/FederatedCare.Cli fedcare)

# libtorch's OpenMP workers spin while idle; with five processes on two cores that makes training 50-100x slower.
# The variable must be in the environment before the process starts: native code never sees a later change.
export OMP_WAIT_POLICY=PASSIVE
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# region=UCI file: the four UCI hospitals stand in for the four regions.
regions=(Halland=cleveland Karolinska=hungarian Sahlgrenska=switzerland Örebro=va)

build_apps() {
  dotnet build "$root/apps.slnf" -c Release -nologo -v q -clp:ErrorsOnly >"$1" 2>&1 || { cat "$1"; return 1; }
}

pids=()
stop_federation() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_federation EXIT INT TERM

agent_args=()

start_coordinator() {
  local dir=$1; shift
  mkdir -p "$dir/logs"
  # Appends, so a restarted coordinator's log follows the killed one's.
  dotnet "$coordinator_dll" --urls "$address" --Coordinator:DataDirectory="$dir/coordinator-data" "$@" \
    >>"$dir/logs/coordinator.log" 2>&1 &
  coordinator_pid=$!
  pids+=($coordinator_pid)
}

stop_coordinator() {
  kill -"$1" "$coordinator_pid" 2>/dev/null || true
  wait "$coordinator_pid" 2>/dev/null || true
}

start_federation() {
  local dir=$1; shift
  # A free loopback port: nothing answers on it.
  local port=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
  address="http://127.0.0.1:$port"
  rm -rf "$dir/coordinator-data" "$dir/logs"
  start_coordinator "$dir" "$@"
  local pair region file
  for pair in "${regions[@]}"; do
    region=${pair%%=*}; file=${pair#*=}
    dotnet "$agent_dll" \
      --NodeAgent:Region="$region" \
      --NodeAgent:CoordinatorAddress="$address" \
      --NodeAgent:Datasets:heart-disease:Format=uci-heart-disease \
      --NodeAgent:Datasets:heart-disease:Path="$data/processed.$file.data" \
      --NodeAgent:Datasets:heart-disease:SplitFile="$data/flamby_split.csv" \
      "${agent_args[@]}" \
      >"$dir/logs/node-$file.log" 2>&1 &
    pids+=($!)
  done
  fedcare health --wait 30 >/dev/null
}

fedcare() { dotnet "$fedcare_dll" --coordinator "$address" "$@"; }
