#!/usr/bin/env bash
# The issue's own client for bench-serve's question (issue 10 §1): wrk, a light C client at normal priority, on
# /api/predict (-c32) and on the Training page signed in (-c1), idle for 20 s, then in 30 s windows from a retrain
# request until its run ends. Prints wrk's latency lines per window.
#
#   serve-wrk.sh DATA_DIR [VIDEOS] [PORT]
#
# DATA_DIR: a data directory bench-serve has seeded with VIDEOS videos (default 1000000; the retrain trains on all of
# them, as bench-serve's does). Needs wrk
# (apt-get install wrk) and a Release build (dotnet build -c Release src/ViralityDashboard).
set -euo pipefail
data=${1:?usage: serve-wrk.sh DATA_DIR [VIDEOS] [PORT]}
videos=${2:-1000000}
port=${3:-5613}
root=$(cd "$(dirname "$0")/../../.." && pwd)
dll=$root/src/ViralityDashboard/bin/Release/net10.0/ViralityDashboard.dll
lua=$root/src/ViralityDashboard.DemoAndBenchmarks/Benchmarks/predict.lua
url=http://127.0.0.1:$port
key=serve-wrk-$RANDOM$RANDOM
# The owner bench-serve created in DATA_DIR (an existing owner keeps the password it was created with).
password=${Virality__Owner__Password:-BenchServe-Owner1}
jar=$(mktemp)
log=$(mktemp --suffix=.log)
trap 'kill -TERM $app 2>/dev/null; wait $app 2>/dev/null; rm -f "$jar" "$jar.predict" "$jar.page"' EXIT

# As bench-serve starts it: its own session, trained on every video, no gate, slow requests logged from 200 ms.
env ASPNETCORE_URLS=$url Virality__ApiKey=$key Virality__Owner__Password=$password Virality__RateLimits__Api__PermitLimit=0 \
    Virality__Training__MaxVideos=$videos Virality__Training__GateMinimumAccuracy=0 Virality__Training__TimeBudgetSeconds=3600 \
    Virality__SlowRequests__ThresholdMs=200 \
    Logging__Console__TimestampFormat="HH:mm:ss.fff " Logging__Console__UseUtcTimestamp=true \
    setsid dotnet "$dll" --data-dir "$data" > "$log" 2>&1 &
app=$!
echo "app pid $app on $url; its log: $log"
for _ in $(seq 1 120); do curl -sf "$url/health" > /dev/null && break; sleep 1; done

token=$(curl -s -c "$jar" -b "$jar" "$url/account/login" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.UserName=owner" --data-urlencode "Input.Password=$password" "$url/account/login"
cookie=$(awk '$6 ~ /Identity|AspNetCore/ {printf "%s=%s; ", $6, $7}' "$jar")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url/training")" = 200 ] || { echo "sign-in failed" >&2; exit 1; }

export Virality__ApiKey=$key # predict.lua sends it
wrk -t1 -c32 -d5s -s "$lua" "$url" > /dev/null # warm-up: the pool's connections, the JIT
summary() { # name, wrk output: p50, p99, max, rate
    printf '  %-10s p50 %s  p99 %s  max %s  %s/s\n' "$1" "$(awk '/ 50%/ {print $2}' "$2")" "$(awk '/ 99%/ {print $2}' "$2")" \
        "$(awk '/^ +Latency +[0-9]/ {print $4}' "$2")" "$(awk '/Requests\/sec/ {print $2}' "$2")"
}
window() { # seconds
    wrk -t1 -c32 -d"$1"s --latency -s "$lua" "$url" > "$jar.predict" &
    local predict=$!
    wrk -t1 -c1 -d"$1"s --latency -H "Cookie: $cookie" "$url/training" > "$jar.page"
    wait $predict
    summary "predict" "$jar.predict"
    summary "/training" "$jar.page"
}
echo "idle, 20 s"; window 20
request=$(curl -s -X POST -H "X-Api-Key: $key" -H "Content-Type: application/json" -d '{"trainer":"lbfgs"}' "$url/api/retrain" |
    python3 -c "import json,sys; print(json.load(sys.stdin)['requestId'])")
echo "retrain requested at $(date -u +%T) UTC"
n=0
while :; do
    n=$((n + 1)); echo "window $n from $(date -u +%T)"; window 30
    status=$(curl -s -H "X-Api-Key: $key" "$url/api/runs/$request" | python3 -c "import json,sys; r=json.load(sys.stdin); print((r.get('run') or r)['status'])")
    [ "$status" = queued ] || [ "$status" = running ] || { echo "run $status at $(date -u +%T) UTC"; break; }
done
