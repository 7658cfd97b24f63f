#!/usr/bin/env bash
# The pipeline exercises' timing-sensitive checks, run many times while both cores are kept
# busy by two spinning shells this script starts and stops: the sample solution must pass
# every time and each timing mutant must fail every time. Each variant is graded as RUNS
# copies (`course grade --stage N`), two at once, so the grader's own load adds to the spin.
# Prints, per exercise and variant, how many of RUNS behaved as they must.
# Usage: Benchmarks/pipeline-flakes.sh [runs, default 50] [course binary, default the debug build] [exercise, default all] [variant, default all]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
runs="${1:-50}"
bin="${2:-$root/.build/x86_64-unknown-linux-gnu/debug/course}"
only="${3:-}"
only_variant="${4:-}"
out="$(mktemp -d)"
spinners=()
cleanup() {
    for pid in "${spinners[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT
for _ in 1 2; do
    sh -c 'while :; do :; done' &
    spinners+=("$!")
done

# variant EXERCISE NAME STAGE WANT: grade RUNS copies of the solution (NAME=solution) or of
# the mutant laid over it through stage STAGE; WANT is pass or fail.
variant() {
    local exercise=$1 name=$2 stage=$3 want=$4
    if [ -n "$only" ] && [ "$only" != "$exercise" ]; then return; fi
    if [ -n "$only_variant" ] && [ "$only_variant" != "$name" ]; then return; fi
    local folder="$out/$exercise-$name"
    mkdir -p "$folder"
    for i in $(seq 1 "$runs"); do
        cp -r "Exercises/$exercise/solution/go" "$folder/$i"
        if [ "$name" != solution ]; then cp "Exercises/$exercise/mutants/$name/"*.go "$folder/$i/"; fi
    done
    "$bin" grade "$exercise" "$folder"/* --stage "$stage" --jobs 2 --format json \
        --report-dir "$folder-report" --no-pager >/dev/null 2>&1 || true
    python3 - "$folder-report" "$want" "$exercise" "$name" "$stage" <<'PY'
import json, sys, glob
report, want, exercise, name, stage = sys.argv[1:]
data = json.load(open(glob.glob(report + "/*.json")[0]))
subs = data["submissions"] if isinstance(data, dict) and "submissions" in data else data
good = 0
failures = {}
for sub in subs:
    stages = sub.get("stages") or sub.get("result", {}).get("stages", [])
    passed = bool(stages) and all(s.get("status") == "passed" for s in stages)
    if (want == "pass") == passed:
        good += 1
    else:
        for s in stages:
            for c in s.get("checks", []):
                if c.get("status") == "failed":
                    key = f'{s.get("id")}/{c.get("id")}'
                    failures[key] = failures.get(key, 0) + 1
                    if want == "pass":
                        failure = c.get("failure", {})
                        print(f'  {sub.get("learner")} {key} after {c.get("durationSeconds", 0):.1f} s: {failure.get("message", "")}', file=sys.stderr)
                        for part in ("received", "expected"):
                            if failure.get(part):
                                print(f'    {part}: {failure[part][:400]!r}', file=sys.stderr)
print(f"{exercise:18} {name:20} stages 1-{stage}  must {want}: {good}/{len(subs)}" + (f"  (odd ones: {failures})" if failures else ""))
PY
}

variant pipeline solution 6 pass
variant pipeline serial 3 fail
variant pipeline ignores-sigterm 6 fail
variant pipeline keeps-sending 6 fail
variant pipeline no-cancel 6 fail
variant pipeline completion-order 2 fail
variant pipeline unbounded 4 fail
variant pipeline-basics solution 5 pass
variant pipeline-basics serial 4 fail
variant pipeline-basics unbounded 5 fail
variant pipeline-basics completion-order 3 fail
variant pipeline-resilient solution 7 pass
variant pipeline-resilient completion-order 1 fail
variant pipeline-resilient no-backoff 3 fail
variant pipeline-resilient retries-escape-bound 4 fail
variant pipeline-resilient no-breaker 5 fail
variant pipeline-resilient no-half-open 5 fail
variant pipeline-resilient default-idle-pool 6 fail
variant pipeline-resilient ignores-sigterm 7 fail
variant pipeline-resilient keeps-retrying 7 fail
variant pipeline-resilient asks-again-after-success 1 fail
