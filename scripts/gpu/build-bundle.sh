#!/usr/bin/env bash
# Builds what scripts/gpu/selftest.sh carries to a GPU machine that has no Swift toolchain: a static-stdlib release
# skyctl, stripped, with the OpenBLAS libraries it links (the image is not known to have them), xz-compressed into
# the git-ignored .gpu-bundle/sky-gpu.tar.xz, well under the 64 MiB a device call may carry.
# Usage (repository root): scripts/gpu/build-bundle.sh   (a clean build takes ~15 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH="${SCRATCH:-.build-static}"
swift build -c release --static-swift-stdlib --product skyctl --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --show-bin-path)"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/sky-gpu/bin" "$STAGE/sky-gpu/lib"
cp "$BIN/skyctl" "$STAGE/sky-gpu/bin/"
strip "$STAGE/sky-gpu/bin/skyctl"
# The shared libraries skyctl needs beyond glibc, libstdc++ and zlib (which every CUDA image has).
for lib in $(ldd "$BIN/skyctl" | awk '/=> \// { print $3 }' | grep -E 'openblas|gfortran|quadmath'); do
    cp -L "$lib" "$STAGE/sky-gpu/lib/"
done
git describe --always --dirty > "$STAGE/sky-gpu/COMMIT"
mkdir -p .gpu-bundle
tar -C "$STAGE" -cJf .gpu-bundle/sky-gpu.tar.xz sky-gpu
ls -l .gpu-bundle/sky-gpu.tar.xz >&2
echo "carry .gpu-bundle; built from $(cat "$STAGE/sky-gpu/COMMIT")" >&2
