#!/usr/bin/env bash
# `make run`: skyd serve on its embedded PostgreSQL with local workers; once the API answers, submits the quick
# structure-vs-content experiment unless it already exists (SKY_DEMO=0 turns that off), says where to look, and
# keeps serving until Ctrl-C (which stops skyd, and skyd its PostgreSQL).
#   BIN       directory holding skyd and skyctl (release build)
#   SKY_HOST, SKY_PORT   the API address (default 127.0.0.1:8080)
#   SKY_DEMO  0 to submit nothing; SKY_DEMO_FILE another experiment file (default experiments/structure-vs-content.yaml)
#   SKYD_FLAGS  extra flags for skyd serve
set -euo pipefail
BIN=${BIN:?BIN must name the directory with skyd and skyctl}
HOST=${SKY_HOST:-127.0.0.1}
PORT=${SKY_PORT:-8080}
FILE=${SKY_DEMO_FILE:-experiments/structure-vs-content.yaml}
URL="http://$HOST:$PORT"

# shellcheck disable=SC2086  # SKYD_FLAGS is a list of flags
"$BIN/skyd" serve --workers-config workers/cpu.yaml --host "$HOST" --port "$PORT" ${SKYD_FLAGS:-} &
SKYD=$!
trap 'kill -TERM "$SKYD" 2>/dev/null || true; wait "$SKYD" 2>/dev/null || true' INT TERM
trap 'kill -TERM "$SKYD" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
    # bash's /dev/tcp: no curl needed on a fresh machine; skyd listens once its database is up.
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then break; fi
    if ! kill -0 "$SKYD" 2>/dev/null; then wait "$SKYD"; exit $?; fi
    sleep 0.5
done

if [ "${SKY_DEMO:-1}" != "0" ]; then
    echo "make run: submitting the quick experiment in $FILE (unless it exists; SKY_DEMO=0 skips this)"
    SKY_SERVER=$URL "$BIN/skyctl" experiment submit "$FILE" --quick --if-absent || echo "make run: the demo experiment was not submitted (see above)"
fi
NAME=$(sed -n 's/^experiment: *//p' "$FILE" | head -1)
printf '\nSky is serving at %s/ (Ctrl-C stops it). Where to look:\n' "$URL"
width=$((${#BIN} + ${#NAME} + 26))
look() { printf '  %-*s  # %s\n' "$width" "$1" "$2"; }
look "$BIN/skyctl status" "the queue"
look "$BIN/skyctl experiment status $NAME" "progress per stage"
look "$BIN/skyctl experiment table $NAME" "the paper-shaped table, as results arrive"
look "$URL/" "the web page (log in with the token in ~/.config/sky/config.yaml)"
echo
wait "$SKYD"
