#!/usr/bin/env bash
# Wall time of the structure-vs-content experiment by stage: quick and full runs, interleaved, each on a fresh
# `skyd serve` (its own embedded PostgreSQL, workers/cpu.yaml: one worker, one slot, two threads). Prints every run
# and the medians; keeps each run's jobs (skyctl status --json) and table in OUT. `make bench-experiment` runs it.
#
#   BIN=.build/release QUICK_RUNS=5 FULL_RUNS=3 scripts/bench/experiment-wall.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:?BIN must name the directory with release skyd and skyctl}
QUICK_RUNS=${QUICK_RUNS:-5}
FULL_RUNS=${FULL_RUNS:-3}
FILE=${FILE:-experiments/structure-vs-content.yaml}
OUT=${OUT:-/tmp/sky-experiment-wall}
NAME=$(sed -n 's/^experiment: *//p' "$FILE" | head -1)
mkdir -p "$OUT"

one_run() {  # quick|full N
    local mode=$1 n=$2 work port skyd
    work=$(mktemp -d /tmp/sky-wall.XXXXXX)
    chmod 755 "$work"   # the embedded PostgreSQL runs as the postgres user when we are root
    port=$((20000 + RANDOM % 12000))   # below the ephemeral ports (32768 up)
    "$BIN/skyd" serve --workers-config workers/cpu.yaml --port "$port" --data-dir "$work/data" \
        --client-config "$work/config.yaml" --log-level warning > "$OUT/serve-$mode-$n.log" 2>&1 &
    skyd=$!
    for _ in $(seq 1 240); do
        [ -s "$work/config.yaml" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        kill -0 "$skyd" 2>/dev/null || { cat "$OUT/serve-$mode-$n.log" >&2; return 1; }
        sleep 0.5
    done
    export SKY_SERVER="http://127.0.0.1:$port" SKY_CONFIG="$work/config.yaml"
    "$BIN/skyctl" experiment submit "$FILE" $([ "$mode" = quick ] && echo --quick) > /dev/null
    until "$BIN/skyctl" experiment status "$NAME" --json | python3 -c '
import json, sys
counts = json.load(sys.stdin).get("counts", {})
sys.exit(0 if sum(counts.get(s, 0) for s in ("waiting", "queued", "running")) == 0 else 1)'; do sleep 3; done
    "$BIN/skyctl" experiment table "$NAME" > "$OUT/table-$mode-$n.txt"
    "$BIN/skyctl" status --json > "$OUT/jobs-$mode-$n.json"
    uptime > "$OUT/load-$mode-$n.txt"
    kill -TERM "$skyd"; wait "$skyd" || true
    rm -rf "$work"
}

rm -f "$OUT"/jobs-*.json "$OUT"/table-*.txt
for i in $(seq 1 $((QUICK_RUNS > FULL_RUNS ? QUICK_RUNS : FULL_RUNS))); do
    if [ "$i" -le "$QUICK_RUNS" ]; then echo "$(date -u +%T) quick run $i"; one_run quick "$i"; fi
    if [ "$i" -le "$FULL_RUNS" ]; then echo "$(date -u +%T) full run $i"; one_run full "$i"; fi
done
python3 scripts/bench/experiment_wall.py "$OUT" "$NAME"
