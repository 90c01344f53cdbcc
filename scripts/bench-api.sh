#!/usr/bin/env bash
# Load-tests the API of a release skyd from a second process on loopback (wrk), and measures skyd's
# memory while a large dataset is uploaded. Results go to stdout; BENCHMARKS.md records them.
#
#   scripts/bench-api.sh [SECONDS] [CONNECTIONS] [UPLOAD_MIB]
set -euo pipefail
DURATION=${1:-15}
CONNECTIONS=${2:-32}
UPLOAD_MIB=${3:-1024}
BIN=${BIN:-$(swift build -c release --show-bin-path)}
PORT=${PORT:-18080}
PG_PORT=${PG_PORT:-55432}
WORK=$(mktemp -d /tmp/sky-bench-api.XXXXXX)
chmod 755 "$WORK"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null

cleanup() {
    [[ -n "${SKYD_PID:-}" ]] && kill -TERM "$SKYD_PID" 2>/dev/null && wait "$SKYD_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

SKY_CONFIG="$WORK/config.yaml" "$BIN/skyd" serve --data-dir "$WORK/data" --postgres-port "$PG_PORT" --port "$PORT" \
    --no-workers --log-level warning >"$WORK/skyd.log" 2>&1 &
SKYD_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TOKEN=$(sed -n 's/^token: //p' "$WORK/config.yaml")
URL="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); wrk and skyd share it"
echo "skyd pid $SKYD_PID; wrk -t2 -c$CONNECTIONS -d${DURATION}s"

ID=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d '{"kind":"sleep","spec":{"durationSeconds":1},"name":"bench"}' "$URL/v1/jobs" | sed 's/.*"id":\([0-9]*\).*/\1/')

cat >"$WORK/submit.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"kind":"sleep","spec":{"durationSeconds":1},"experiment":"bench","tags":["wrk"]}'
LUA

echo "== GET /v1/jobs/$ID"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH" "$URL/v1/jobs/$ID" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors"
echo "== POST /v1/jobs"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/submit.lua" "$URL/v1/jobs" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors"
echo "== GET /v1/jobs/$ID again (table now holds the submitted jobs)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$AUTH" "$URL/v1/jobs/$ID" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors"

echo "== upload ${UPLOAD_MIB} MiB dataset"
LINE='{"system": "s", "conversations": [{"from": "user", "value": "What is 12 + 30?"}, {"from": "assistant", "value": "42"}]}'
# Whole lines only (a cut record is refused, as it should be); `yes` ends by SIGPIPE, which pipefail
# would count as a failure.
(yes "$LINE" || true) | head -n $(((UPLOAD_MIB << 20) / (${#LINE} + 1))) >"$WORK/big.jsonl"
UPLOAD_BYTES=$(stat -c %s "$WORK/big.jsonl")
rss() { awk '/VmRSS/ {print $2}' "/proc/$SKYD_PID/status"; }
BEFORE=$(rss)
PEAK=$BEFORE
curl -sf -H "$AUTH" -H 'Content-Type: application/x-ndjson' -T "$WORK/big.jsonl" -X POST "$URL/v1/artifacts?name=big.jsonl" \
    -o "$WORK/upload.json" -w '%{time_total}\n' >"$WORK/upload.time" &
CURL_PID=$!
while kill -0 "$CURL_PID" 2>/dev/null; do NOW=$(rss); ((NOW > PEAK)) && PEAK=$NOW; sleep 0.05; done
wait "$CURL_PID"
SECONDS_TAKEN=$(cat "$WORK/upload.time")
echo "skyd RSS before ${BEFORE} KiB, peak during upload ${PEAK} KiB (+$(((PEAK - BEFORE) >> 10)) MiB); $((UPLOAD_BYTES >> 20)) MiB in ${SECONDS_TAKEN} s"
echo "stored: $(cat "$WORK/upload.json")"
