# Shared by demo.sh and the benchmark scripts: build the apps, start one coordinator and the four heart-disease
# node agents as separate processes on 127.0.0.1, and stop them again. Source it; it defines:
#   build_apps LOGFILE          dotnet build (Release) of apps.slnf
#   provision_federation DIR    fedcare provision into DIR (a new CA each time; operator and researcher "demo") and
#                               mutual TLS from then on: https, every process with its certificate (sets $tls_dir,
#                               exports FEDCARE_CERT/KEY/CA for the CLI)
#   start_federation DIR [ARGS] coordinator + 4 agents, logs in DIR/logs, coordinator state in DIR/coordinator-data,
#                               agents' in DIR/state; sets $address (gRPC; port $grpc_port if set, else a free one)
#                               and $dashboard (the web endpoint: dashboard, /metrics, /healthz, /readyz; a free port);
#                               ARGS go to the coordinator, the array $agent_args (if set) to every agent;
#                               $agent_dll and the array $agent_command (first arguments) say what runs as an agent
#   start_coordinator DIR [ARGS] (re)starts the coordinator alone on $address and $dashboard with DIR's data; sets
#                               $coordinator_pid
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
# MKL (inside libtorch) picks its kernels' blocking at run time; on a loaded machine two seed-42 demos then differed in
# the last bit of the nodes' evaluation loss (not in accuracy or models). MKL's conditional numerical reproducibility
# (AUTO: the best code path for this CPU, fixed from run to run) made them identical again, measured under load 15-25.
export MKL_CBWR=AUTO
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# config=log name: each agent starts from its node configuration file in examples/heart-disease/nodes (the file a
# region's data team copies: data file, CSV dialect, split file); the four UCI hospitals stand in for the regions.
nodes="$root/examples/heart-disease/nodes"
regions=(halland=cleveland karolinska=hungarian sahlgrenska=switzerland orebro=va)

build_apps() {
  dotnet build "$root/apps.slnf" -c Release -nologo -v q -clp:ErrorsOnly >"$1" 2>&1 || { cat "$1"; return 1; }
}

pids=()
stop_federation() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
# A signal to the script alone (not its process group) must still stop everything: exit runs the EXIT trap.
trap stop_federation EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

agent_args=()
agent_command=()
tls_dir=""
coordinator_tls=()

provision_federation() {
  tls_dir=$1
  # --force: the demo makes a throwaway CA on every run; a real federation provisions once and keeps ca-key.pem offline.
  mkdir -p "$tls_dir"
  # provision writes its own provision.log (every certificate and serial); its output goes to provision.out.
  dotnet "$fedcare_dll" provision --out "$tls_dir" --operators demo --researchers demo --force >"$tls_dir/provision.out" 2>&1 \
    || { cat "$tls_dir/provision.out"; return 1; }
  coordinator_tls=(--Coordinator:Tls:CertificatePath="$tls_dir/coordinator.pem" --Coordinator:Tls:KeyPath="$tls_dir/coordinator-key.pem"
    --Coordinator:Tls:ClientCaPath="$tls_dir/ca.pem" --Coordinator:Tls:RevocationList="$tls_dir/crl.pem")
  export FEDCARE_CERT="$tls_dir/operator-demo.pem" FEDCARE_KEY="$tls_dir/operator-demo-key.pem" FEDCARE_CA="$tls_dir/ca.pem"
}

start_coordinator() {
  local dir=$1; shift
  mkdir -p "$dir/logs"
  # Appends, so a restarted coordinator's log follows the killed one's.
  dotnet "$coordinator_dll" --urls "$address" --Coordinator:Web:Urls="$dashboard" --Coordinator:DataDirectory="$dir/coordinator-data" \
    "${coordinator_tls[@]}" "$@" \
    >>"$dir/logs/coordinator.log" 2>&1 &
  coordinator_pid=$!
  pids+=($coordinator_pid)
}

stop_coordinator() {
  kill -"$1" "$coordinator_pid" 2>/dev/null || true
  wait "$coordinator_pid" 2>/dev/null || true
}

# A free loopback port: nothing answers on it.
free_port() {
  local port=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
  echo "$port"
}

start_federation() {
  local dir=$1; shift
  local port=${grpc_port:-$(free_port)}
  address="$([ -n "$tls_dir" ] && echo https || echo http)://127.0.0.1:$port"
  # Plaintext on loopback even with mutual TLS (open there, see README "Dashboard and monitoring").
  local web_port=$(free_port)
  while [ "$web_port" = "$port" ]; do web_port=$(free_port); done
  dashboard="http://127.0.0.1:$web_port/"
  rm -rf "$dir/coordinator-data" "$dir/logs" "$dir/state"
  start_coordinator "$dir" "$@"
  local pair config file tls
  for pair in "${regions[@]}"; do
    config=${pair%%=*}; file=${pair#*=}
    # provision names a region's files after it as the node configurations are named (Örebro: node-orebro.pem).
    tls=()
    [ -z "$tls_dir" ] || tls=(--NodeAgent:Tls:CertificatePath="$tls_dir/node-$config.pem"
      --NodeAgent:Tls:KeyPath="$tls_dir/node-$config-key.pem" --NodeAgent:Tls:CaPath="$tls_dir/ca.pem")
    dotnet "$agent_dll" "${agent_command[@]}" --config "$nodes/$config.json" \
      --NodeAgent:CoordinatorAddress="$address" "${tls[@]}" \
      --NodeAgent:ProfileDirectory="$dir/profiles/$config" \
      --NodeAgent:StateDirectory="$dir/state/$config" \
      "${agent_args[@]}" \
      >"$dir/logs/node-$file.log" 2>&1 &
    pids+=($!)
  done
  fedcare health --wait 30 >/dev/null
}

fedcare() { dotnet "$fedcare_dll" --coordinator "$address" "$@"; }

# Runs the CLI in the background and waits for it, so that a signal to this script is handled at once (bash defers
# traps while a foreground child runs); the CLI is stopped with the federation.
fedcare_interruptible() {
  dotnet "$fedcare_dll" --coordinator "$address" "$@" &
  local pid=$!
  pids+=("$pid")
  wait "$pid"
}
