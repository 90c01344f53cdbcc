#!/usr/bin/env bash
# A bounded soak of mixed traffic against a whole skyd (embedded PostgreSQL, one worker running sleep jobs): see
# scripts/bench/soak.py for the mix. Prints its JSON report; exits non-zero on any error, any job left unfinished, or
# skyd's VmRSS at the end above MAX_RSS_GROWTH × its value two thirds into the run (memory that still grows then is a
# leak; what fills up in the first minutes, caches and allocator arenas, is not).
#
#   BIN=.build/release SOAK_SECONDS=300 scripts/bench/soak.sh     # the benchmark (make bench-soak)
#   SOAK_SECONDS=20 MAX_RSS_GROWTH=0 scripts/bench/soak.sh        # the short run make test does (memory reported only)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-$(swift build --show-bin-path)}
SECONDS_TO_RUN=${SOAK_SECONDS:-300}
CLIENTS=${SOAK_CLIENTS:-8}
MAX_RSS_GROWTH=${MAX_RSS_GROWTH:-1.05}
for tool in skyd skyctl; do [ -x "$BIN/$tool" ] || { echo "soak: $BIN/$tool is not built" >&2; exit 1; }; done

# shellcheck source=../lib/throwaway-skyd.sh
. scripts/lib/throwaway-skyd.sh
throwaway_skyd_prepare soak
throwaway_skyd_workers sleep 8 30 1
throwaway_skyd_start "$BIN" || { echo "soak: skyd did not start" >&2; exit 1; }
echo "soak: $SECONDS_TO_RUN s, $CLIENTS clients against skyd $skyd_pid ($(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1))" >&2
status=0
python3 scripts/bench/soak.py --url "$url" --token "$token" --pid "$skyd_pid" --seconds "$SECONDS_TO_RUN" \
    --clients "$CLIENTS" --max-rss-growth "$MAX_RSS_GROWTH" || status=$?
if [ "$status" != 0 ]; then echo "soak: failed (above); skyd's log follows" >&2; tail -30 "$work/skyd.log" >&2; fi
exit "$status"
