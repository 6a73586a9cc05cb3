#!/usr/bin/env bash
# Measures the scale-out figures of docs/benchmarks.md with real processes: one standalone sandbox (seed scenario), one
# PostgreSQL, N dashboard servers (Release build). Prints AWS requests per minute as the sandbox counted them for 1 and
# N replicas, the failover time after kill -9 of the lease holder, and the leader-publish-to-follower delay.
# SKIP_SINGLE=1 skips the one-replica baseline. Each measurement starts from scratch: a sandbox of its own (the seed
# world evolves after start: controllers build balancers, targets register and turn healthy, so a run that shares a
# sandbox with an earlier one sees another world) and a cold schema of its own, so 1 and N replicas are compared at the
# same phase of the world and of the poller's schedule. KEEP_LOGS=1 keeps the servers' logs (timestamped).
# Usage: DASHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=55432;Username=dashboard;Database=postgres" \
#        tests/Dashboard.Benchmarks/ScaleOut/measure-replicas.sh [replicas=2] [window-seconds=60]
set -euo pipefail
cd "$(dirname "$0")/../../.."
replicas=${1:-2}
window=${2:-60}
: "${DASHBOARD_TEST_POSTGRES:?set DASHBOARD_TEST_POSTGRES (test.sh shows how to start a PostgreSQL)}"
work=$(mktemp -d /tmp/dashboard-scaleout-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}" $(cat "$work/server.pids" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
aws="" sandbox_dir="" sandbox_pid=""
start_sandbox() {
  sandbox_dir="$work/sandbox-$1"; mkdir -p "$sandbox_dir"
  (cd "$sandbox_dir" && exec dotnet "$OLDPWD/src/Dashboard.Sandbox/bin/Release/net10.0/Dashboard.Sandbox.dll" \
    --Sandbox:KubernetesUrl=http://127.0.0.1:0 --Sandbox:AwsUrl=http://127.0.0.1:0 >"$sandbox_dir/sandbox.log" 2>&1) &
  sandbox_pid=$!; pids+=("$sandbox_pid")
  for _ in $(seq 1 120); do grep -q "Sandbox AWS endpoint" "$sandbox_dir/sandbox.log" 2>/dev/null && break; sleep 0.5; done
  # The line may go on after the URL ("(regions us-east-1 with the scenario, …)"): keep the URL only.
  aws=$(sed -n 's/^Sandbox AWS endpoint: *\([^ ]*\).*/\1/p' "$sandbox_dir/sandbox.log")
}
# A schema of each measurement's own in the given database (left behind; drop with DROP SCHEMA scaleout_<pid>_<n> CASCADE).
pg_url=$(python3 -c 'import sys; kv=dict(p.split("=",1) for p in sys.argv[1].split(";") if p); print("postgresql://%s@%s:%s/%s" % (kv.get("Username","postgres"), kv.get("Host","127.0.0.1"), kv.get("Port","5432"), kv.get("Database","postgres")))' "$DASHBOARD_TEST_POSTGRES")
connection=""

# Every AWS service the dashboard reads: ELBv2, CloudWatch, Cost Explorer, and the leader-only EC2/ACM/WAFv2 reads.
services='("elasticloadbalancing","monitoring","ce","ec2","acm","wafv2")'
requests() { curl -s "${aws}_sandbox/requests" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(r['count'] for r in d if r['service'] in $services))"; }
by_service() { curl -s "${aws}_sandbox/requests" | python3 -c "import json,sys,collections; c=collections.Counter(); [c.update({r['service']: r['count']}) for r in json.load(sys.stdin) if r['service'] in $services]; print(' '.join(f'{k}={v}' for k,v in sorted(c.items())))"; }

start_server() {
  local name=$1 port=$2
  ASPNETCORE_ENVIRONMENT=Production Logging__Console__TimestampFormat="HH:mm:ss.fff " Dashboard__Auth__Mode=Unsecured Dashboard__Api__PermitsPerMinute=100000 \
  ConnectionStrings__Dashboard="$connection" Dashboard__Leadership__Identity="$name" Dashboard__Leadership__Namespace=default \
  Dashboard__Source=Kubeconfig Dashboard__Kubeconfig__Path="$sandbox_dir/.sandbox/kubeconfig" Dashboard__Aws__Region=us-east-1 \
  AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox \
  Dashboard__Aws__Endpoints__ElasticLoadBalancing="$aws" Dashboard__Aws__Endpoints__CloudWatch="$aws" Dashboard__Aws__Endpoints__CostExplorer="$aws" \
  Dashboard__Aws__Endpoints__Ec2="$aws" Dashboard__Aws__Endpoints__CertificateManager="$aws" Dashboard__Aws__Endpoints__Wafv2="$aws" \
  dotnet src/Dashboard.Server/bin/Release/net10.0/Dashboard.Server.dll --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  echo $! >>"$work/server.pids"
  echo $!
}
status() { curl -s "http://127.0.0.1:$1/api/v1/status"; }
wait_ready() { for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$1/healthz/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "server on $1 not ready" >&2; exit 1; }

measure() {
  local count=$1; local ports=() spids=()
  start_sandbox "$count"
  local db="scaleout_$$_$count"
  psql -q "$pg_url" -c "CREATE SCHEMA $db;"
  connection="${DASHBOARD_TEST_POSTGRES};SearchPath=$db"
  for i in $(seq 1 "$count"); do
    local port; port=$(free_port); ports+=("$port"); spids+=("$(start_server "replica-$count-$i" "$port")")
  done
  for port in "${ports[@]}"; do wait_ready "$port"; done
  sleep 30  # the first full read happens once per start; measure the steady state after it
  local before after; before=$(requests); local before_by; before_by=$(by_service); sleep "$window"; after=$(requests)
  echo "replicas=$count aws_requests_per_minute=$(( (after - before) * 60 / window )) (window ${window}s; by service before: $before_by; after: $(by_service))"
  if [ "$count" -gt 1 ]; then
    # Publish -> follower: the follower's view of the publication age, sampled every 100 ms for 40 s.
    local follower=""
    for port in "${ports[@]}"; do status "$port" | grep -q '"leader":false' && follower=$port; done
    python3 - "$follower" <<'PY'
import json, sys, time, urllib.request
from datetime import datetime, timezone
port = sys.argv[1]; seen = {}; lags = []
end = time.time() + 40
while time.time() < end:
    s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/status"))
    p = s.get("published")
    if p and not s["leader"] and p["publishedAt"] not in seen:
        at = datetime.fromisoformat(p["publishedAt"].replace("Z", "+00:00"))
        seen[p["publishedAt"]] = True
        lags.append((datetime.now(timezone.utc) - at).total_seconds())
    time.sleep(0.1)
lags = lags[1:]  # the first was published before sampling began
print(f"publish_to_follower_seconds max={max(lags):.2f} median={sorted(lags)[len(lags)//2]:.2f} samples={len(lags)}" if lags else "publish_to_follower: fewer than two publications in 40 s")
PY
    # kill -9 the holder; time until another replica holds the Lease, and until the sandbox sees its first AWS request.
    local holder_port="" holder_pid=""
    for i in "${!ports[@]}"; do
      if status "${ports[$i]}" | grep -q '"leader":true'; then holder_port=${ports[$i]}; holder_pid=${spids[$i]}; fi
    done
    local others=(); for p in "${ports[@]}"; do [ "$p" != "$holder_port" ] && others+=("$p"); done
    # One python process kills and watches (spawning curl and python per check took seconds on a loaded machine, which
    # was most of the "polling again" figure before): every 50 ms it asks the other replicas whether they lead and the
    # sandbox how many AWS requests it has counted.
    python3 - "$holder_pid" "$aws" "$services" "${others[@]}" <<'PY'
import ast, json, os, signal, sys, time, urllib.request
from datetime import datetime, timezone
pid, aws, services, others = int(sys.argv[1]), sys.argv[2], ast.literal_eval(sys.argv[3]), sys.argv[4:]
def requests():
    return sum(r["count"] for r in json.load(urllib.request.urlopen(aws + "_sandbox/requests")) if r["service"] in services)
def leads():
    for port in others:
        try:
            if json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/status", timeout=2))["leader"]:
                return True
        except Exception:
            pass
    return False
killed = time.time(); os.kill(pid, signal.SIGKILL); base = requests()
leading = polling = None
while (polling is None or leading is None) and time.time() - killed < 120:
    if leading is None and leads():
        leading = time.time()
    if polling is None and requests() > base:
        polling = time.time()
    time.sleep(0.05)
at = datetime.fromtimestamp(killed, timezone.utc).strftime("%H:%M:%S.%f")[:12]
print(f"failover_kill9 new_leader_after={leading - killed:.1f}s polling_again_after={polling - killed:.1f}s (killed at {at} UTC)" if leading and polling
      else f"failover_kill9: no new leader or no AWS request within 120 s (killed at {at} UTC)")
PY
    # What the new holder logged about it (timestamps in UTC when the machine's clock is).
    for i in $(seq 1 "$count"); do grep -h -A1 "holds the Lease\|continues from the published" "$work/replica-$count-$i.log" | grep -v "^--" | paste - - | tail -2 || true; done
  fi
  for pid in "${spids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${spids[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true
}

[ "${SKIP_SINGLE:-0}" = 1 ] || measure 1
measure "$replicas"
