#!/usr/bin/env bash
# Sky's trainer against PyTorch on the same model, batch, sequence length and threads, interleaved by process:
# each round runs `skyctl bench train --rounds 1` and then `torch_train.py --rounds 1`, so a noisy neighbour
# slows both alike. Prints each side's median tokens/s per mode and the ratio Sky/PyTorch.
#
# Usage: scripts/bench/compare-train.sh [rounds] [extra options for both sides, e.g. --gradient-checkpointing]
# Environment: SKYCTL (default .build-rel/release/skyctl), PYTHON (a python with torch, transformers and peft),
# MODEL_DIR (a `skyctl model init --preset $PRESET` directory; made here when missing), PRESET (default 25m), BATCH,
# SEQ_LEN, THREADS, BACKEND (blas, or cuda: Sky's CUDA backend beside PyTorch on the GPU, both float32).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
shift || true
SKYCTL="${SKYCTL:-.build-rel/release/skyctl}"
PYTHON="${PYTHON:-python3}"
BATCH="${BATCH:-4}"
SEQ_LEN="${SEQ_LEN:-512}"
THREADS="${THREADS:-$(nproc)}"
PRESET="${PRESET:-25m}"
BACKEND="${BACKEND:-blas}"
if [ "$BACKEND" = cuda ]; then SKY_SIDE=(--backend cuda); TORCH_SIDE=(--device cuda); else SKY_SIDE=(); TORCH_SIDE=(); fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [ -z "${MODEL_DIR:-}" ]; then
  # An 8,192-token tokenizer learned from the repository's own sources, then the 25m preset's random weights.
  MODEL_DIR="$WORK/model-$PRESET"
  "$SKYCTL" model train-tokenizer --corpus $(find Sources -name '*.swift' | sort) --vocab-size 8192 --out "$WORK/tokenizer.json" >&2
  "$SKYCTL" model init --preset "$PRESET" --vocab "$WORK/tokenizer.json" --out "$MODEL_DIR" --seed 1 >&2
fi
VOCAB="$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['vocab_size'])" "$MODEL_DIR/config.json")"
COMMON=(--seq-len "$SEQ_LEN" --batch "$BATCH" --threads "$THREADS" --steps 2 --rounds 1 --json "$@")
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  "$SKYCTL" bench train --preset "$PRESET" --vocab "$VOCAB" "${SKY_SIDE[@]}" "${COMMON[@]}" >> "$WORK/sky.jsonl"
  "$PYTHON" scripts/bench/torch_train.py --model "$MODEL_DIR" "${TORCH_SIDE[@]}" "${COMMON[@]}" >> "$WORK/torch.jsonl"
done
"$PYTHON" - "$WORK/sky.jsonl" "$WORK/torch.jsonl" <<'PY'
import json, statistics, sys
sky = [json.loads(line) for line in open(sys.argv[1])]
torch = [json.loads(line) for line in open(sys.argv[2])]
mib = 1024 * 1024
print(f"{len(sky)} interleaved round(s); batch {sky[0]['batch']} x {sky[0]['seq_len']} tokens, {sky[0]['threads']} thread(s), "
      f"torch {torch[0]['torch']}; load averages {[r['load_average'][0] for r in sky + torch]}")
for mode in sky[0]["modes"]:
    s = [r["modes"][mode]["tokens_per_s"] for r in sky]
    t = [r["modes"][mode]["tokens_per_s"] for r in torch]
    frac = [r["modes"][mode]["sgemm_fraction"] for r in sky]
    ratios = [a / b for a, b in zip(s, t)]
    print(f"{mode}: sky {statistics.median(s):.0f} ({min(s):.0f}-{max(s):.0f}) tokens/s "
          f"({statistics.median(frac) * 100:.0f}% of sgemm), torch {statistics.median(t):.0f} ({min(t):.0f}-{max(t):.0f}) tokens/s; "
          f"sky/torch {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}); peak over baseline: sky "
          f"{statistics.median(r['modes'][mode]['measured_bytes'] for r in sky) / mib:.0f} MiB "
          f"(expected {sky[0]['modes'][mode]['expected_bytes'] / mib:.0f}), torch "
          f"{statistics.median(r['modes'][mode]['measured_bytes'] for r in torch) / mib:.0f} MiB")
PY
