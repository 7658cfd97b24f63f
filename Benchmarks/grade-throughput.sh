#!/usr/bin/env bash
# Grading throughput: `course grade` on a class of N copies of a trivial Go submission (the
# echo-lines fixture's sample solution) with --jobs 2, sandboxed and not, side by side with
# the bare work a grader cannot avoid: the same builds and the same cases run by a shell
# loop (`go build`, then each case's input through the program, output compared), 2 at a
# time. Prints submissions per minute and the grader's own overhead per submission:
#   overhead = (grade time - bare time) x jobs / N   (seconds of a worker slot per submission)
# Usage: Benchmarks/grade-throughput.sh [N]   (default 50)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
n="${1:-50}"
bash scripts/setup.sh --tests >/dev/null
swift build -c release --product course >/dev/null
bin="$root/.build/release/course"
fixture="$root/Tests/CourseCLITests/Fixtures/course"
exercise="$fixture/Exercises/echo-lines"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for i in $(seq -w 1 "$n"); do
    cp -r "$exercise/solution/go" "$out/sub-$i"
done
# The bare loop: one submission, built in a fresh folder with a fresh Go cache (as the grader
# does), every case of every stage run and compared.
cat >"$out/bare.sh" <<'EOF'
set -eu
sub="$1"; cases="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp -r "$sub/." "$work/"
cd "$work"
GOCACHE="$work/.cache" GO111MODULE=off GOPATH=/usr/share/gocode go build -o program . 2>/dev/null
for input in "$cases"/*/*.in; do
    ./program <"$input" | cmp -s - "${input%.in}.out"
done
EOF

export COURSE_ROOT="$fixture"
subs=("$out"/sub-*)
hyperfine --runs 3 --export-json "$out/grade.json" \
    -n "course grade (sandbox)" "$bin grade echo-lines ${subs[*]} --jobs 2 --report-dir $out/report-sandbox --seed 1" \
    -n "course grade (no sandbox)" "$bin grade echo-lines ${subs[*]} --jobs 2 --no-sandbox --report-dir $out/report-plain --seed 1" \
    -n "bare build+run loop" "printf '%s\n' ${subs[*]} | xargs -P 2 -I{} sh $out/bare.sh {} $exercise/cases" >/dev/null

grep -q '"passed": true' "$out/report-sandbox/results.json" || true
passed=$("$bin" gradebook --gradebook "$out/report-sandbox/gradebook.sqlite" --csv | awk -F, 'NR > 1 && $6 == "true"' | wc -l)
echo "class: $n copies of the echo-lines sample solution; $passed of $n passed every stage (sandboxed run)"

python3 - "$out/grade.json" "$n" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
bare = results["bare build+run loop"]["mean"]
print(f"{'':28} {'mean s':>8} {'± s':>6} {'subs/min':>9} {'overhead/sub':>13} {'vs bare':>8}")
for name, r in results.items():
    mean = r["mean"]
    overhead = (mean - bare) * 2 / n
    print(f"{name:28} {mean:8.2f} {r['stddev'] or 0:6.2f} {n / mean * 60:9.0f} {overhead * 1000:10.0f} ms {mean / bare:7.2f}x")
EOF
