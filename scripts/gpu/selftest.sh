#!/usr/bin/env bash
# Sky's CUDA backend on a lent GPU, in one prepared run (the `device` tool; 15 minutes of device time a session).
# Needs only what it carries: .gpu-bundle/sky-gpu.tar.xz (scripts/gpu/build-bundle.sh, here) and this repository's
# scripts. On the device, from the repository root, with a timeout that leaves room for one rerun:
#   run(command: "scripts/gpu/selftest.sh", carry: [".gpu-bundle"], timeout_s: 480)
# It writes everything under $OUT (default /tmp/sky-selftest): the GPU's description, the parity report, the
# training benchmark beside PyTorch, the generation benchmark beside Hugging Face, and a summary. Steps are bounded in time each, so one slow step cannot eat the run;
# SELFTEST_STEPS picks some of them (parity,train,generate,model), and SKY_SELFTEST_BACKEND=blas dry-runs it all on a machine with
# no GPU (the parity then checks BLAS against itself, and PyTorch runs on the CPU).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-/tmp/sky-selftest}"
BACKEND="${SKY_SELFTEST_BACKEND:-cuda}"
STEPS="${SELFTEST_STEPS:-parity,train,generate,model}"
mkdir -p "$OUT"
log() { echo "selftest: $*" | tee -a "$OUT/summary.txt" >&2; }
started=$(date +%s)

bundle=".gpu-bundle/sky-gpu.tar.xz"
if [ ! -f "$bundle" ]; then log "missing $bundle: run scripts/gpu/build-bundle.sh here and carry .gpu-bundle"; exit 2; fi
work="$(mktemp -d)"
tar -C "$work" -xJf "$bundle"
SKYCTL="$work/sky-gpu/bin/skyctl"
export LD_LIBRARY_PATH="$work/sky-gpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SKY_CUDA_CACHE_DIR="$work/cubin-cache"
log "bundle built from $(cat "$work/sky-gpu/COMMIT"); backend $BACKEND; python3 $(command -v python3)"
if [ "$BACKEND" = cuda ]; then
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader > "$OUT/gpu.txt" 2>&1 || true
    log "gpu: $(cat "$OUT/gpu.txt")"
fi

# (1) Every op forward and backward, 20 full and 20 LoRA steps, and greedy generation against BLAS on this
# machine's CPU, in one process.
if [[ ",$STEPS," == *,parity,* ]]; then
    timeout 150 "$SKYCTL" bench parity --backend "$BACKEND" --size large --steps 20 > "$OUT/parity.txt" 2> "$OUT/parity.err"
    status=$?
    log "parity: exit $status ($(tail -1 "$OUT/parity.txt" 2>/dev/null)) after $(( $(date +%s) - started )) s"
    grep -E '^FAIL' "$OUT/parity.txt" | head -20 | while read -r line; do log "  $line"; done
    [ -s "$OUT/parity.err" ] && log "  stderr: $(head -5 "$OUT/parity.err")"
fi

# (2) Training throughput beside PyTorch + PEFT on the same device, float32 both, interleaved by process.
if [[ ",$STEPS," == *,train,* ]]; then
    if [ "$BACKEND" = cuda ]; then preset=qwen2.5-0.5b; seq=1024; batch=4; else preset=tiny; seq=128; batch=2; fi
    PRESET=$preset SEQ_LEN=$seq BATCH=$batch BACKEND=$BACKEND SKYCTL="$SKYCTL" PYTHON="${PYTHON:-python3}" THREADS="$(nproc)" \
        timeout 180 scripts/bench/compare-train.sh 1 --lora-rank 64 > "$OUT/train.txt" 2> "$OUT/train.err"
    status=$?
    log "train ($preset, $batch × $seq tokens): exit $status after $(( $(date +%s) - started )) s"
    while read -r line; do log "  $line"; done < "$OUT/train.txt"
    [ $status -ne 0 ] && log "  stderr: $(tail -5 "$OUT/train.err")"
fi
# (3) Greedy decoding beside Hugging Face generate on the same device: batch 1 and a 64-sequence eval batch, bf16.
if [[ ",$STEPS," == *,generate,* ]]; then
    if [ "$BACKEND" = cuda ]; then preset=qwen2.5-0.5b; device=cuda; big=64; new=64; else preset=tiny; device=cpu; big=8; new=16; fi
    PRESET=$preset BACKEND=$BACKEND DEVICE=$device BIG_BATCH=$big NEW_TOKENS=$new SKYCTL="$SKYCTL" PYTHON="${PYTHON:-python3}" \
        timeout 100 scripts/bench/compare-generate.sh 1 > "$OUT/generate.txt" 2> "$OUT/generate.err"
    status=$?
    log "generate ($preset): exit $status after $(( $(date +%s) - started )) s"
    while read -r line; do log "  $line"; done < "$OUT/generate.txt"
    [ $status -ne 0 ] && log "  stderr: $(tail -5 "$OUT/generate.err")"
fi
# (4) The model runtime against the device's own limits: prefill next to its product, batch-1 decode next to the
# device-to-device bandwidth bound, the device memory held.
if [[ ",$STEPS," == *,model,* ]]; then
    if [ "$BACKEND" = cuda ]; then args=(--rounds 3 --tokens 1024 --decode-steps 64); else args=(--rounds 1 --tokens 64 --decode-steps 8 --skip-large); fi
    timeout 45 "$SKYCTL" bench model --backend "$BACKEND" "${args[@]}" > "$OUT/model.txt" 2> "$OUT/model.err"
    status=$?
    log "model: exit $status after $(( $(date +%s) - started )) s"
    while read -r line; do log "  $line"; done < "$OUT/model.txt"
    [ $status -ne 0 ] && log "  stderr: $(tail -5 "$OUT/model.err")"
fi
log "done in $(( $(date +%s) - started )) s"
rm -rf "$work"
