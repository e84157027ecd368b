# A throw-away PostgreSQL server for the tests: a new cluster in a temporary folder (initdb), listening on 127.0.0.1
# only, with one database, stopped and deleted again by stop_test_postgres. Source it; it defines:
#   start_test_postgres    initdb + pg_ctl start on the first free port from 55432; exports FEDCARE_TEST_POSTGRES
#                          (an Npgsql connection string); PostgreSQL refuses to run as root, so as root the server
#                          runs as the user postgres (Debian's package creates it)
#   stop_test_postgres     stops the server and deletes its folder (safe to call twice, or when none was started)
#   test_postgres_bin      prints the folder of initdb/pg_ctl (/usr/lib/postgresql/<newest>/bin), or nothing
# Needs Debian's postgresql package (apt-get install -y postgresql).

test_postgres_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

_test_postgres_dir=""

_as_postgres_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin port
  bin=$(test_postgres_bin) || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; return 1; }
  _test_postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/fedcare-postgres.XXXXXX")
  chmod 755 "$_test_postgres_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$_test_postgres_dir"
  _as_postgres_user "$bin/initdb" -D "$_test_postgres_dir/data" -U fedcare --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$_test_postgres_dir/initdb.log" 2>&1 || { cat "$_test_postgres_dir/initdb.log" >&2; return 1; }
  for port in $(seq 55432 55499); do
    # fsync off: a throw-away cluster; the tests kill coordinators, never this server.
    if _as_postgres_user "$bin/pg_ctl" -D "$_test_postgres_dir/data" -l "$_test_postgres_dir/server.log" -w -t 60 start \
         -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$_test_postgres_dir -c fsync=off -c max_connections=200" \
         >/dev/null 2>&1; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U fedcare fedcare_test || { stop_test_postgres; return 1; }
      export FEDCARE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=fedcare;Database=fedcare_test"
      echo "PostgreSQL test server on 127.0.0.1:$port (FEDCARE_TEST_POSTGRES)" >&2
      return 0
    fi
    grep -q "could not bind\|Address already in use" "$_test_postgres_dir/server.log" 2>/dev/null || break
  done
  cat "$_test_postgres_dir/server.log" >&2 2>/dev/null
  stop_test_postgres
  return 1
}

stop_test_postgres() {
  [ -n "$_test_postgres_dir" ] || return 0
  local bin
  bin=$(test_postgres_bin)
  if [ -f "$_test_postgres_dir/data/postmaster.pid" ]; then
    _as_postgres_user "$bin/pg_ctl" -D "$_test_postgres_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$_test_postgres_dir"
  _test_postgres_dir=""
  unset FEDCARE_TEST_POSTGRES
}
