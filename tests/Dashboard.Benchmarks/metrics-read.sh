#!/usr/bin/env bash
# Metrics read benchmark (docs/benchmarks.md): time for the whole ALB Metrics section (1 d at 60 s, whole balancer)
# through the dashboard's API, cold and warm cache, against the same GetMetricData queries sent by the AWS CLI to the
# same sandbox in the same run. Needs a running dashboard in sandbox mode: DASHBOARD=http://127.0.0.1:5000 AWS=http://127.0.0.1:4566.
set -euo pipefail
DASHBOARD="${DASHBOARD:-http://127.0.0.1:5000}"; AWS="${AWS:-http://127.0.0.1:4566}"; LB="${LB:-k8s-shop-834f58fa2a}"
lbs=$(curl -sf "$DASHBOARD/api/v1/load-balancers?limit=1000")
queries=$(python3 - "$LB" "$lbs" <<'PY'
import json, sys
name, lbs = sys.argv[1], json.loads(sys.argv[2])
lb = next(l for l in lbs["items"] if l["name"] == name)
dim = lb["arn"].split(":loadbalancer/")[1]
groups = [g["arn"].split(":", 5)[5] for g in lb["targetGroups"]]
q = []
def add(metric, stat, extra=()):
    q.append({"Id": f"q{len(q)}", "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": metric,
      "Dimensions": [{"Name": "LoadBalancer", "Value": dim}, *extra]}, "Period": 60, "Stat": stat}})
for m in ["RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count",
          "HTTPCode_ELB_504_Count", "HTTPCode_Target_4XX_Count", "ActiveConnectionCount", "NewConnectionCount", "RejectedConnectionCount",
          "TargetConnectionErrorCount", "ConsumedLCUs", "ProcessedBytes", "ClientTLSNegotiationErrorCount"]:
    add(m, "Sum")
for s in ["p50", "p90", "p99", "Average"]:
    add("TargetResponseTime", s)
for g in groups:
    add("HealthyHostCount", "Minimum", [{"Name": "TargetGroup", "Value": g}])
    add("UnHealthyHostCount", "Maximum", [{"Name": "TargetGroup", "Value": g}])
print(json.dumps(q))
PY
)
end=$(date -u -d "@$(( ($(date +%s) / 60 + 1) * 60 ))" +%FT%TZ); start=$(date -u -d "$end -1 day" +%FT%TZ)
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
echo "queries per section: $(echo "$queries" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
echo "API cold  (ms): $(ms curl -sf "$DASHBOARD/api/v1/metrics/charts?lb=$LB&range=1d")"
for i in 1 2 3; do echo "API warm  (ms): $(ms curl -sf "$DASHBOARD/api/v1/metrics/charts?lb=$LB&range=1d")"; done
for i in 1 2 3; do
  echo "aws cli   (ms): $(ms env AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_EC2_METADATA_DISABLED=true aws --endpoint-url "$AWS" --region us-east-1 \
    cloudwatch get-metric-data --metric-data-queries "$queries" --start-time "$start" --end-time "$end" --scan-by TimestampAscending --output json)"
done
