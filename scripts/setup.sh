#!/usr/bin/env bash
# Installs the system packages Sky needs, only those missing. Safe to run repeatedly.
# Needs root (or sudo) the first time; afterwards it only checks.
set -euo pipefail

# python3: the code sandbox runs benchmark answers with it (and its tests need it).
# chromium and curl: the web page's headless-browser check (scripts/web-screenshots.sh, make web-check).
# python3-venv: the test setup installs NVRTC from PyPI into .venv-cuda (scripts/cuda/setup-nvrtc.sh).
# iproute2: the network-partition fault test (ip netns, veth, tc) that make test ends with.
packages=(postgresql libpq-dev libopenblas-dev libcurl4-openssl-dev pkg-config python3 python3-venv chromium curl iproute2)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
        echo "setup: missing packages ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    # The package install starts Debian's own PostgreSQL service where a service manager exists; Sky does
    # not use it (it runs a private cluster), so keep it from being started.
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
    echo "setup: the Swift toolchain (6.1 or newer) is not on PATH; install it from swift.org and re-run" >&2
    exit 1
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${SKY_POSTGRES_BIN:-}" ]; then
    echo "setup: PostgreSQL server binaries not found; set SKY_POSTGRES_BIN to the directory holding initdb" >&2
    exit 1
fi
