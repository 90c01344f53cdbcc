#!/usr/bin/env bash
# The API fuzzed from its own contract: starts skyd on a throwaway embedded PostgreSQL with a worker that runs sleep
# jobs, then runs Schemathesis (PyPI, into .venv-fuzz) over every operation of api/openapi.yaml, the stateful phase
# included (its links take ids from one response into the next request), with a bounded example count. Fails on any
# server error (5xx) or any response that does not conform to the contract.
#
#   scripts/test-fuzz.sh                          # binaries from `swift build`
#   BIN=.build/release FUZZ_EXAMPLES=200 scripts/test-fuzz.sh   # a longer run
#   FUZZ_SEED=7 scripts/test-fuzz.sh              # another seed (the default is fixed, so a run repeats)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-$(swift build --show-bin-path)}
EXAMPLES=${FUZZ_EXAMPLES:-25}
SEED=${FUZZ_SEED:-1}
VENV=.venv-fuzz
REQUIREMENTS=scripts/fuzz/requirements.txt
for tool in skyd skyctl; do [ -x "$BIN/$tool" ] || { echo "test-fuzz: $BIN/$tool is not built" >&2; exit 1; }; done

# The venv is made once and remade when the pinned requirements change.
stamp="$VENV/requirements.sha256"
wanted=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/st" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "test-fuzz: installing $REQUIREMENTS into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$wanted" > "$stamp"
fi

# shellcheck source=lib/throwaway-skyd.sh
. scripts/lib/throwaway-skyd.sh
throwaway_skyd_prepare fuzz

# Only sleep and import jobs run: whatever train or eval specs the fuzzer makes up stay queued rather than loading
# models; imports give the eval routes a real run (with two graders) to be fuzzed against.
throwaway_skyd_workers "sleep, import" 4 30 1

throwaway_skyd_start "$BIN" || { echo "test-fuzz: skyd did not start" >&2; exit 1; }

# One imported eval run (Sky's verdicts beside the harness's), so the stateful phase can reach a real eval run
# through the contract's links (a job → its eval runs → the run → its samples and verdict changes).
printf '%s\n' '{"idx": 0, "gt": "\\frac{1}{2}", "code": ["so \\boxed{0.5}"], "score": [false]}' \
    '{"idx": 1, "gt": "3", "code": ["\\boxed{3}"], "score": [true]}' > "$work/outputs.jsonl"
"$BIN/skyctl" eval import "$work/outputs.jsonl" --format qwen-math --model fuzz --benchmark fuzz \
    --server "$url" --token "$token" > "$work/import.txt" 2>&1 || { cat "$work/import.txt" >&2; exit 1; }

status=0
"$VENV/bin/st" --no-color --config-file scripts/fuzz/schemathesis.toml run api/openapi.yaml --url "$url" -H "Authorization: Bearer $token" \
    --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 30 \
    --continue-on-failure --output-truncate true || status=$?
if [ "$status" != 0 ]; then
    echo "test-fuzz: Schemathesis found failures (above); skyd's log follows" >&2
    tail -50 "$work/skyd.log" >&2
fi
exit "$status"
