# Sourced by scripts that need a whole skyd of their own (web-screenshots.sh, test-fuzz.sh): a scratch directory the
# embedded PostgreSQL can use, a free-looking port, and a cleanup that stops skyd and removes everything on exit.
#   throwaway_skyd_prepare NAME   sets work, port, url; writes nothing but the directory
#   throwaway_skyd_workers KINDS SLOTS LEASE GRACE   writes $work/workers.yaml: one BLAS worker of those kinds
#   throwaway_skyd_start BIN      starts skyd serve with $work/workers.yaml; sets skyd_pid and token once it answers
throwaway_skyd_prepare() {
    work=$(mktemp -d "/tmp/sky-$1.XXXXXX")
    chmod 755 "$work"   # the embedded PostgreSQL runs as the postgres user when we are root
    port=$((20000 + RANDOM % 12000))   # below the ephemeral ports (32768 up)
    url="http://127.0.0.1:$port"
    skyd_pid=""
    trap throwaway_skyd_cleanup EXIT
}

throwaway_skyd_cleanup() {
    if [ -n "$skyd_pid" ]; then kill -TERM "$skyd_pid" 2>/dev/null || true; wait "$skyd_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}

throwaway_skyd_workers() {
    cat > "$work/workers.yaml" <<YAML
workers: 1
queues: [default]
kinds: [$1]
slots: $2
backend: blas
threads: 1
leaseSeconds: $3
pollSeconds: 1
shutdownGraceSeconds: $4
YAML
}

throwaway_skyd_start() {
    "$1/skyd" serve --data-dir "$work/data" --port "$port" --client-config "$work/config.yaml" \
        --workers-config "$work/workers.yaml" --log-level warning > "$work/skyd.log" 2>&1 &
    skyd_pid=$!
    local _
    for _ in $(seq 1 240); do
        # skyd writes the client config (with the token) once it is up; /readyz says when its schema is current.
        if throwaway_skyd_ready && [ -s "$work/config.yaml" ]; then
            token=$(sed -n 's/^token: //p' "$work/config.yaml")
            [ -n "$token" ] && return 0
        fi
        kill -0 "$skyd_pid" 2>/dev/null || { cat "$work/skyd.log" >&2; return 1; }
        sleep 0.5
    done
    echo "skyd did not start within 120 s" >&2
    cat "$work/skyd.log" >&2
    return 1
}

# Whether GET /readyz answers 200, over bash's /dev/tcp (no curl needed on a fresh machine).
throwaway_skyd_ready() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
        IFS= read -r status <&3
        [[ $status == *" 200 "* ]]
    ) 2>/dev/null
}
