#!/usr/bin/env bash
# Reruns the numeric suites (SkyTensor, SkyModel, SkyTrain, SkyEval) under a second OpenBLAS kernel family, so a test
# that holds only on this host's kernels fails here rather than on the next host type. Debian's OpenBLAS is built
# with DYNAMIC_ARCH: OPENBLAS_CORETYPE picks another family on the same machine (Zen here unless the host's own is
# Zen, then Haswell; both AVX2). Usage: scripts/test-second-coretype.sh [swift]   (after `swift build --build-tests`)
set -euo pipefail
swift=${1:-swift}
cd "$(dirname "$0")/.."

if ! grep -qw avx2 /proc/cpuinfo; then
    echo "test-second-coretype: this CPU has no AVX2, so no second AVX2 kernel family can run here; skipped"
    exit 0
fi
own=$(python3 -c 'import ctypes; l = ctypes.CDLL("libopenblas.so.0"); l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())')
if [ "$own" = Zen ]; then second=Haswell; else second=Zen; fi
echo "test-second-coretype: OpenBLAS runs $own kernels here; the numeric suites again with OPENBLAS_CORETYPE=$second"
# BackendDeviceTests checks that the kernels in use are the ones asked for, so a silently ignored setting fails.
OPENBLAS_CORETYPE=$second "$swift" test --skip-build --filter 'SkyTensorTests|SkyModelTests|SkyTrainTests|SkyEvalTests'
