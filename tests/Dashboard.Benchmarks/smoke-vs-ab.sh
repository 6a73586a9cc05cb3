#!/usr/bin/env bash
# The dashboard's smoke-test generator beside ab (apache2-utils) against the same sandbox endpoint, and Verify beside curl -w.
# Usage: tests/Dashboard.Benchmarks/smoke-vs-ab.sh [connections] [requests]   (after dotnet build Dashboard.sln -c Release)
# Installs apache2-utils when ab is missing (the only benchmark that needs it). Prints the figures docs/benchmarks.md quotes.
set -euo pipefail
C=${1:-50}
N=${2:-6000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=5187; PLAIN=18180; TLS=18543
command -v ab >/dev/null || { apt-get update -qq && apt-get install -y -qq apache2-utils >/dev/null; }
SERVER="$ROOT/src/Dashboard.Server/bin/Release/net10.0/Dashboard.Server"
LOG=$(mktemp)
# Caps lifted for the benchmark only (the defaults are 60 s, 200 requests/s, 50 connections).
Dashboard__Verify__MaxRatePerSecond=5000 Dashboard__Verify__MaxDurationSeconds=120 Dashboard__Verify__MaxConnections=200 \
Dashboard__Api__PermitsPerMinute=100000 \
Sandbox__KubernetesUrl=http://127.0.0.1:0 Sandbox__AwsUrl=http://127.0.0.1:0 \
Sandbox__DataPlane__HttpUrl=http://127.0.0.1:$PLAIN Sandbox__DataPlane__HttpsUrl=https://127.0.0.1:$TLS \
Dashboard__State__SqlitePath="$(mktemp -d)/state.db" \
  "$SERVER" --urls http://127.0.0.1:$PORT >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
API=http://127.0.0.1:$PORT/api/v1
EP=service/mlops/retail-forecast-nlb
for _ in $(seq 1 120); do
  HOST=$(curl -sf "$API/endpoints/$EP/verify-targets" | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t[0]["host"])' 2>/dev/null) && [ -n "$HOST" ] && break
  sleep 1
done
echo "endpoint $EP, balancer $HOST, data plane 127.0.0.1:$PLAIN"
ab -k -q -c 5 -n 200 -H "Host: $HOST" "http://127.0.0.1:$PLAIN/" >/dev/null   # warm-up

smoke() { # rate duration connections -> prints the final JSON
  local id
  id=$(curl -sf -X POST -H 'X-Dashboard-Request: 1' -H 'Content-Type: application/json' \
        -d "{\"ratePerSecond\":$1,\"durationSeconds\":$2,\"connections\":$3,\"path\":\"/\"}" "$API/endpoints/$EP/smoke-tests" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while curl -sf "$API/smoke-tests/$id" | grep -q '"state":"running"'; do sleep 0.5; done
  curl -sf "$API/smoke-tests/$id"
}
summary() { python3 -c 'import json,sys; s=json.load(sys.stdin); l=s["latencyMs"]; print("requests %s, achieved %s/s, p50 %s ms, p90 %s ms, p99 %s ms, max %s ms, failures %s, codes %s, errors %s" % (s["requests"], s["achievedRate"], l["p50"], l["p90"], l["p99"], l["max"], s["failures"], s["statusCodes"], s["errors"]))'; }

echo "== greatest rate at concurrency $C"
ab -k -q -c "$C" -n "$N" -H "Host: $HOST" "http://127.0.0.1:$PLAIN/" | grep -E "Requests per second|Failed requests|Non-2xx|  50%|  90%|  99%"
echo "dashboard (asks 5000/s, $C connections, 10 s):"; smoke 5000 10 "$C" | summary

echo "== fixed rate 100/s, 10 connections, 20 s (ab has no rate option: -c 2 gives it about that rate on this endpoint)"
ab -k -q -c 2 -n 2000 -H "Host: $HOST" "http://127.0.0.1:$PLAIN/" | grep -E "Requests per second|  50%|  90%|  99%"
echo "dashboard:"; smoke 100 20 10 | summary

echo "== CPU of the dashboard process (sandbox included) during 200 requests/s for 20 s"
T0=$(awk '{print $14+$15}' /proc/$PID/stat); S0=$(date +%s.%N)
smoke 200 20 50 | summary
T1=$(awk '{print $14+$15}' /proc/$PID/stat); S1=$(date +%s.%N)
python3 -c "print(f'CPU: {($T1-$T0)/$(getconf CLK_TCK)/($S1-$S0)*100:.0f}% of one core over {$S1-$S0:.1f} s')"

echo "== Verify round trip beside curl -w (same request, 5 each)"
for i in 1 2 3 4 5; do
  curl -s -o /dev/null --connect-to "::127.0.0.1:$PLAIN" -w 'curl: dns %{time_namelookup}s connect %{time_connect}s first byte %{time_starttransfer}s total %{time_total}s\n' "http://$HOST/"
done
for i in 1 2 3 4 5; do
  S=$(date +%s%N)
  curl -sf -X POST -H 'X-Dashboard-Request: 1' -H 'Content-Type: application/json' -d '{"path":"/"}' "$API/endpoints/$EP/verify" \
    | python3 -c 'import json,sys; t=json.load(sys.stdin)["timing"]; print("verify: dns %s ms connect %s ms first byte %s ms total %s ms" % (t["dnsMs"], t["connectMs"], t["firstByteMs"], t["totalMs"]), end="")'
  E=$(date +%s%N); echo "  (API round trip $(( (E-S)/1000000 )) ms)"
done
