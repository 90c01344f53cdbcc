#!/usr/bin/env bash
# Sky's greedy decoding against Hugging Face `generate` on the same model directory, device, batch and lengths,
# interleaved by process (one `skyctl bench generate --rounds 1`, then one `hf_generate.py --rounds 1`, per round).
# Prints each side's median decode tokens/s, the ratio Sky/HF, and Sky's share of the bandwidth bound (bytes a decode
# step reads ÷ the device-to-device bandwidth HF's side measured), for batch 1 and for a --big-batch eval batch.
#
# Usage: scripts/bench/compare-generate.sh [rounds]
# Environment: SKYCTL, PYTHON (with torch and transformers), PRESET (default qwen2.5-0.5b), BACKEND (cuda or blas),
# DEVICE (cuda or cpu, for the HF side), BIG_BATCH (default 64), NEW_TOKENS (default 64), MODEL_DIR (made if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SKYCTL="${SKYCTL:-.build/release/skyctl}"
PYTHON="${PYTHON:-python3}"
PRESET="${PRESET:-qwen2.5-0.5b}"
BACKEND="${BACKEND:-cuda}"
DEVICE="${DEVICE:-cuda}"
BIG_BATCH="${BIG_BATCH:-64}"
NEW_TOKENS="${NEW_TOKENS:-64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [ -z "${MODEL_DIR:-}" ]; then
  MODEL_DIR="$WORK/model-$PRESET"
  "$SKYCTL" model train-tokenizer --corpus $(find Sources -name '*.swift' | sort) --vocab-size 8192 --out "$WORK/tokenizer.json" >&2
  "$SKYCTL" model init --preset "$PRESET" --vocab "$WORK/tokenizer.json" --out "$MODEL_DIR" --seed 1 --dtype bf16 >&2
fi
for batch in 1 "$BIG_BATCH"; do
  for round in $(seq 1 "$ROUNDS"); do
    echo "batch $batch round $round/$ROUNDS" >&2
    "$SKYCTL" bench generate --model "$MODEL_DIR" --bf16-weights --backend "$BACKEND" --batch "$batch" --new-tokens "$NEW_TOKENS" \
      --rounds 1 --json >> "$WORK/sky-$batch.jsonl"
    "$PYTHON" scripts/bench/hf_generate.py --model "$MODEL_DIR" --device "$DEVICE" --batch "$batch" --new-tokens "$NEW_TOKENS" \
      $([ "$DEVICE" = cpu ] && echo --dtype float32) --rounds 1 --json >> "$WORK/hf-$batch.jsonl"
  done
done
"$PYTHON" - "$WORK" 1 "$BIG_BATCH" <<'PY'
import json, statistics, sys
work, batches = sys.argv[1], sys.argv[2:]
for batch in batches:
    sky = [json.loads(l) for l in open(f"{work}/sky-{batch}.jsonl")]
    hf = [json.loads(l) for l in open(f"{work}/hf-{batch}.jsonl")]
    s = [r["decode_tokens_per_s"] for r in sky]
    h = [r["decode_tokens_per_s"] for r in hf]
    ratios = [a / b for a, b in zip(s, h)]
    line = (f"batch {batch}: sky {statistics.median(s):.1f} ({min(s):.1f}-{max(s):.1f}) tokens/s, hf {statistics.median(h):.1f} "
            f"({min(h):.1f}-{max(h):.1f}) tokens/s; sky/hf {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")
    bandwidths = [r["bandwidth_bytes_per_s"] for r in hf if r.get("bandwidth_bytes_per_s")]
    if bandwidths:
        bound = statistics.median(bandwidths) / sky[0]["bytes_per_step"] * int(batch)
        line += f"; bound {bound:.0f} tokens/s at {statistics.median(bandwidths) / 1e9:.0f} GB/s, sky at {statistics.median(s) / bound:.0%} of it"
    print(line + f"  [{sky[0]['device']}; torch {hf[0]['torch']}]")
PY
