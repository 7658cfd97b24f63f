#!/usr/bin/env bash
# Grading under load: `course grade` on N copies of the users-api sample solution (a server
# exercise: every check talks to a running program over HTTP, with deadlines) with --jobs 2,
# while two busy loops keep both cores fully occupied. A correct server must pass every
# check: the script counts the checks that failed and why (a deadline missed because the
# grader itself was starved would show here), and prints the run's times.
# Usage: Benchmarks/grade-under-load.sh [N] [--no-load]   (default 20)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
n="${1:-20}"
load=1
[[ "${2:-}" == "--no-load" ]] && load=0
bash scripts/setup.sh --tests >/dev/null
swift build -c release --product course >/dev/null
bin="$root/.build/release/course"
out="$(mktemp -d)"
busy=()
cleanup() {
    for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$out"
}
trap cleanup EXIT

for i in $(seq -w 1 "$n"); do
    cp -r "$root/Exercises/users-api/solution/go" "$out/sub-$i"
done
if ((load)); then
    for _ in 1 2; do
        (while :; do :; done) &
        busy+=("$!")
    done
fi
export COURSE_ROOT="$root"
start=$(date +%s.%N)
"$bin" grade users-api "$out"/sub-* --jobs 2 --report-dir "$out/report" --seed 1 --format json >/dev/null 2>"$out/stderr" || true
end=$(date +%s.%N)
python3 - "$out/report/results.json" "$n" "$start" "$end" "$load" <<'PY'
import json, sys, collections
data = json.load(open(sys.argv[1]))
n, start, end, load = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1"
subs = data["submissions"]
checks = [c for s in subs for st in s["stages"] for c in st["checks"]]
failed = [c for c in checks if c["status"] not in ("passed",)]
passed = sum(1 for s in subs if all(st["status"] == "passed" for st in s["stages"]))
print(f"{n} users-api solutions, --jobs 2, {'two busy loops on both cores' if load else 'no extra load'}: "
      f"{end - start:.1f} s, {passed}/{len(subs)} passed every stage, {len(checks)} checks, {len(failed)} not passed")
reasons = collections.Counter((c["failure"] or {}).get("message", c["status"]).split("\n")[0] for c in failed)
for reason, count in reasons.most_common():
    print(f"  {count} x {reason}")
slowest = sorted(checks, key=lambda c: -c["durationSeconds"])[:3]
print("slowest checks: " + ", ".join(f"{c['name']} {c['durationSeconds']:.2f} s" for c in slowest))
PY
