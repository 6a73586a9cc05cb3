#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (Debian's chromium for the browser tests, Debian's
# PostgreSQL for the shared-state tests), starts a private PostgreSQL on loopback for the run, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing Debian's ${missing[*]} for the tests"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A throw-away PostgreSQL cluster for this run only: its own folder, port and socket, trust auth on 127.0.0.1,
# stopped and deleted when the script ends. The tests find it through DASHBOARD_TEST_POSTGRES.
pg_bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")"
pg_dir="$(mktemp -d /tmp/dashboard-test-pg-XXXXXX)"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_postgres() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U dashboard >/dev/null
# The first free port from 55432 (another PostgreSQL may already listen on the machine).
pg_port=""
for port in $(seq 55432 55482); do
  if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off" start >/dev/null 2>&1; then
    pg_port=$port
    break
  fi
done
if [ -z "$pg_port" ]; then
  echo "test.sh: could not start PostgreSQL on any port 55432-55482; its log:" >&2
  cat "$pg_dir/server.log" >&2
  exit 1
fi
export DASHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=dashboard;Database=postgres"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
dotnet build Dashboard.sln -c Release
dotnet test Dashboard.sln -c Release --no-build "$@"
