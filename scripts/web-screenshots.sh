#!/usr/bin/env bash
# The web page in a real browser: starts skyd on a throwaway embedded PostgreSQL with local workers, submits
# real jobs (sleep jobs; perturb, train and eval jobs on a tiny model), logs in through the page in headless
# chromium, screenshots the main pages into OUT and fails when any page logs a JavaScript error.
#
#   scripts/web-screenshots.sh                     # binaries from `swift build`, screenshots to docs/screenshots
#   BIN=.build/release OUT=/tmp/shots SKY_WEB_TRAIN=0 scripts/web-screenshots.sh   # no train jobs (light, ~30 s)
#   SKY_WEB_STEPS=40 scripts/web-screenshots.sh    # longer training curves (release binaries make that quick)
#   BIN=.build-rel/release SKY_WEB_EXPERIMENT=experiments/structure-vs-content.yaml scripts/web-screenshots.sh
#                                                  # the file's quick experiment instead of the mini grid (~3.5 min)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-$(swift build --show-bin-path)}
OUT=${OUT:-docs/screenshots}
CHROMIUM=${CHROMIUM:-chromium}
TRAIN=${SKY_WEB_TRAIN:-1}
WAIT=${SKY_WEB_WAIT:-600}
STEPS=${SKY_WEB_STEPS:-8}   # training steps of the tiny model (a debug build trains ~1 step/s at these sizes)
command -v "$CHROMIUM" >/dev/null || { echo "web-screenshots: $CHROMIUM not found (apt-get install chromium)" >&2; exit 1; }
for tool in skyd skyctl; do [ -x "$BIN/$tool" ] || { echo "web-screenshots: $BIN/$tool is not built" >&2; exit 1; }; done

# shellcheck source=lib/throwaway-skyd.sh
. scripts/lib/throwaway-skyd.sh
throwaway_skyd_prepare web

throwaway_skyd_workers "perturb, train, eval, rescore, import, sleep" 3 60 2

throwaway_skyd_start "$BIN" || { echo "web-screenshots: skyd did not start" >&2; exit 1; }
export SKY_SERVER="$url" SKY_TOKEN="$token"

submit() {  # a JSON submission on stdin; prints the job id
    curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary @- "$url/v1/jobs" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}

echo "web-screenshots: skyd on $url; submitting jobs"
submit <<'EOF' >/dev/null
{"kind": "sleep", "name": "warm-up", "experiment": "demo", "tags": ["stage:checks"], "spec": {"durationSeconds": 1, "output": {"hello": "world"}}}
EOF
submit <<'EOF' >/dev/null
{"kind": "sleep", "name": "<script>alert('name')</script>", "experiment": "demo", "tags": ["stage:checks"], "spec": {"durationSeconds": 1}}
EOF
submit <<'EOF' >/dev/null
{"kind": "sleep", "name": "doomed", "experiment": "demo", "tags": ["stage:checks"], "maxAttempts": 1, "spec": {"durationSeconds": 0.5, "failureProbability": 1, "failPermanently": true}}
EOF
running=$(submit <<'EOF'
{"kind": "sleep", "name": "long nap", "experiment": "demo", "tags": ["stage:waits"], "spec": {"durationSeconds": 300}}
EOF
)

EXPERIMENT_FILE=${SKY_WEB_EXPERIMENT:-}
experiment_job() {  # the id of the experiment's $1 job (perturb, train, eval) of variant $2
    curl -sf -H "Authorization: Bearer $token" "$url/v1/jobs?experiment=$experiment&limit=200" |
        python3 -c 'import json, sys; print(next(j["id"] for j in json.load(sys.stdin)["jobs"] if j["kind"] == sys.argv[1] and "variant:" + sys.argv[2] in j["tags"]))' "$1" "$2"
}
if [ -n "$EXPERIMENT_FILE" ]; then
# The real thing: the experiment file's quick grid, whose table shows the counting task's real accuracies.
experiment=$("$BIN/skyctl" experiment submit "$EXPERIMENT_FILE" --quick --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["experiment"])')
shuffled=$(experiment_job perturb "shuffle 100%")
train=$(experiment_job train correct)
eval_job=$(experiment_job eval correct)
else
experiment=structure-mini
# A miniature of an experiment file's grid on a tiny model: perturb, eval of the base model, and (unless
# SKY_WEB_TRAIN=0, which keeps the run light enough to sit inside the test suite) LoRA train → eval per variant.
echo "web-screenshots: making a tiny model and dataset"
"$BIN/skyctl" data synth -o "$work/synth" --train 64 --bench-per-level 0 --no-system-prompt >/dev/null
"$BIN/skyctl" model train-tokenizer --corpus "$work/synth/train_long.jsonl" --vocab-size 600 --out "$work/tokenizer.json" >/dev/null
"$BIN/skyctl" model init --preset tiny --vocab "$work/tokenizer.json" --out "$work/tiny" --seed 0 >/dev/null
chmod -R a+rX "$work/synth" "$work/tiny"
shuffled=$(submit <<EOF
{"kind": "perturb", "name": "perturb shuffle 100%", "experiment": "structure-mini", "tags": ["stage:perturb", "variant:shuffle 100%"],
 "spec": {"dataset": {"path": "$work/synth/train_long.jsonl"}, "perturbations": [{"type": "shuffle", "ratio": 1.0}], "seed": 1}}
EOF
)
benchmark='{"name": "synthetic", "builtin": {"task": "synthetic", "seed": 0, "perLevel": 1}}'
prompt='{"template": "boxed", "chatTemplate": "chatml"}'
eval_job=$(submit <<EOF
{"kind": "eval", "name": "eval base", "experiment": "structure-mini", "tags": ["stage:eval", "variant:base"],
 "spec": {"model": {"path": "$work/tiny"}, "benchmarks": [$benchmark], "sampling": {"maxNewTokens": 8}, "variant": "base", "prompt": $prompt, "threads": 1}}
EOF
)
train=""
if [ "$TRAIN" = 1 ]; then
    for variant in correct "shuffle 100%"; do
        if [ "$variant" = correct ]; then dataset="{\"path\": \"$work/synth/train_long.jsonl\"}"; else dataset="{\"fromJob\": $shuffled}"; fi
        id=$(submit <<EOF
{"kind": "train", "name": "lora $variant", "experiment": "structure-mini", "tags": ["stage:train", "variant:$variant"],
 "spec": {"baseModel": {"path": "$work/tiny"}, "dataset": $dataset, "mode": "lora",
          "lora": {"r": 8}, "optimization": {"learningRate": 0.01, "maxSteps": $STEPS, "warmupSteps": 2, "microBatchSize": 1},
          "sequences": {"maxLength": 64}, "threads": 1, "evalEvery": $(( (STEPS + 1) / 2 )), "evalFraction": 0.05, "checkpointEvery": 0}}
EOF
)
        evaluated=$(submit <<EOF
{"kind": "eval", "name": "eval $variant", "experiment": "structure-mini", "tags": ["stage:eval", "variant:$variant"],
 "spec": {"model": {"path": "$work/tiny"}, "adapter": {"fromJob": $id}, "benchmarks": [$benchmark], "sampling": {"maxNewTokens": 8}, "variant": "$variant", "prompt": $prompt, "threads": 1}}
EOF
)
        if [ "$variant" = correct ]; then train=$id; eval_job=$evaluated; fi
    done
fi
fi

# Wait until every job but the long nap is finished, so the pages show results.
echo "web-screenshots: waiting for the jobs (up to ${WAIT}s)"
deadline=$((SECONDS + WAIT))
while :; do
    open=$(curl -sf -H "Authorization: Bearer $token" "$url/v1/jobs?state=waiting,queued,running&limit=100" |
        python3 -c 'import json, sys; print(sum(1 for j in json.load(sys.stdin)["jobs"] if j["name"] != "long nap"))')
    [ "$open" = 0 ] && break
    if [ $SECONDS -ge $deadline ]; then echo "web-screenshots: $open job(s) still unfinished after ${WAIT}s" >&2; break; fi
    sleep 2
done
curl -sf -H "Authorization: Bearer $token" "$url/v1/jobs?limit=100" |
    python3 -c 'import json, sys; [print("  #%-3d %-6s %-9s %s" % (j["id"], j["kind"], j["state"], j["name"])) for j in json.load(sys.stdin)["jobs"]]'

pages=(jobs=/ui/jobs "job-running=/ui/jobs/$running" experiments=/ui/experiments experiment-demo=/ui/experiments/demo
       "experiment=/ui/experiments/$experiment" "job-perturb=/ui/jobs/$shuffled" "job-eval=/ui/jobs/$eval_job" leaderboards=/ui/leaderboards)
follow=(--follow "$shuffled")
if [ -n "$train" ]; then pages+=("job-train=/ui/jobs/$train"); follow+=(--follow "$train"); fi
mkdir -p "$OUT"
python3 scripts/web/cdp_screenshots.py --chromium "$CHROMIUM" --url "$url" --token "$token" --out "$OUT" "${follow[@]}" "${pages[@]}"
