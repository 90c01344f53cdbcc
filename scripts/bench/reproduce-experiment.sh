#!/usr/bin/env bash
# Does an experiment repeat bit for bit on this machine? Runs the quick structure-vs-content experiment on a
# throwaway skyd (embedded PostgreSQL, the stock CPU worker pool), prints its table, then reruns every one of its jobs
# with `skyctl reproduce` (same spec, same inputs) and prints, per job, whether every artifact, metric series and eval
# sample came out identical, and where the first difference is. Exit status 1 when any job did not reproduce.
#
#   BIN=.build/release scripts/bench/reproduce-experiment.sh          # about 8 minutes on 2 cores
#   FILE=experiments/other.yaml QUICK=0 scripts/bench/reproduce-experiment.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-$(swift build -c release --show-bin-path)}
FILE=${FILE:-experiments/structure-vs-content.yaml}
QUICK=${QUICK:-1}
for tool in skyd skyctl; do [ -x "$BIN/$tool" ] || { echo "reproduce-experiment: $BIN/$tool is not built" >&2; exit 1; }; done

# shellcheck source=../lib/throwaway-skyd.sh
. scripts/lib/throwaway-skyd.sh
throwaway_skyd_prepare repro
cp workers/cpu.yaml "$work/workers.yaml"
throwaway_skyd_start "$BIN" || exit 1
export SKY_SERVER="$url" SKY_TOKEN="$token"
name=$(sed -n 's/^experiment: *//p' "$FILE" | head -1)

echo "== $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
start=$SECONDS
if [ "$QUICK" = 1 ]; then "$BIN/skyctl" experiment submit "$FILE" --quick > /dev/null; else "$BIN/skyctl" experiment submit "$FILE" > /dev/null; fi
while "$BIN/skyctl" experiment status "$name" --json | python3 -c '
import json, sys
jobs = json.load(sys.stdin)["jobs"]
sys.exit(0 if any(j["state"] not in ("succeeded", "failed", "cancelled") for j in jobs) else 1)'; do sleep 5; done
echo "== the experiment ($((SECONDS - start)) s)"
"$BIN/skyctl" experiment table "$name"

echo "== every job rerun from its stored spec and inputs"
ids=$("$BIN/skyctl" experiment status "$name" --json | python3 -c '
import json, sys
for job in json.load(sys.stdin)["jobs"]:
    print(job["id"])')
failed=0
for id in $ids; do
    if ! "$BIN/skyctl" reproduce "$id" 2>/dev/null; then failed=$((failed + 1)); fi
done
echo "== $failed job(s) did not reproduce; whole run $((SECONDS - start)) s"
[ "$failed" = 0 ]
