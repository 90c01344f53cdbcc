#!/usr/bin/env bash
# Installs NVRTC (PyPI nvidia-cuda-nvrtc, pinned in requirements-nvrtc.txt) into the git-ignored .venv-cuda, once and
# again whenever the requirements change, and prints the folder that holds libnvrtc.so.13. NVRTC needs no GPU: the
# kernel compile check in `make test` (CUDAKernelCompileTests) builds every kernel to a cubin with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.venv-cuda"
requirements="$root/scripts/cuda/requirements-nvrtc.txt"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "setup-nvrtc: installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
lib=$(echo "$venv"/lib/python3*/site-packages/nvidia/cu13/lib)
if [ ! -e "$lib/libnvrtc.so.13" ]; then
    echo "setup-nvrtc: $lib/libnvrtc.so.13 is missing after the install" >&2
    exit 1
fi
echo "$lib"
