#!/usr/bin/env bash
# Rendering benchmark: `course render` (terminal layout of every lesson, one process) against
# the cmark and cmark-gfm command lines (HTML of the same files), side by side with hyperfine;
# then `course progress` start-up time against `true` (process start floor).
# Prints ratios. Builds the release binary first if needed.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --tests
swift build -c release --product course >/dev/null
bin="$root/.build/release/course"
files=(Curriculum/ROADMAP.md Curriculum/lessons/*.md)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

words=$(cat "${files[@]}" | wc -w)
echo "curriculum: ${#files[@]} files, $words words, $(cat "${files[@]}" | wc -c) bytes"

hyperfine -N --warmup 3 --runs 30 --export-json "$out/render.json" \
    -n course-plain "$bin render --color never --width 80 ${files[*]}" \
    -n course-ansi "$bin render --color always --width 80 ${files[*]}" \
    -n cmark "cmark ${files[*]}" \
    -n cmark-gfm "cmark-gfm -e table -e strikethrough -e autolink ${files[*]}" >/dev/null

ws="$out/ws"
COURSE_WORKSPACE="$ws" "$bin" progress >/dev/null
COURSE_WORKSPACE="$ws" hyperfine -N --warmup 3 --runs 30 --export-json "$out/startup.json" \
    -n course-progress "$bin progress --color never" \
    -n course-help "$bin --help" \
    -n true "true" >/dev/null

python3 - "$out/render.json" "$out/startup.json" <<'PY'
import json, sys
def load(p):
    return {r["command"]: r for r in json.load(open(p))["results"]}
r = load(sys.argv[1]); s = load(sys.argv[2])
ms = lambda x: x["mean"] * 1000
print("\nrendering the whole curriculum (mean of 30 runs)")
for name in ["course-plain", "course-ansi", "cmark", "cmark-gfm"]:
    print(f"  {name:14} {ms(r[name]):7.2f} ms  ± {r[name]['stddev']*1000:.2f}")
print(f"  ratio course-ansi / cmark      {r['course-ansi']['mean']/r['cmark']['mean']:.2f}x")
print(f"  ratio course-ansi / cmark-gfm  {r['course-ansi']['mean']/r['cmark-gfm']['mean']:.2f}x")
print("\nstart-up (mean of 30 runs)")
for name in ["course-progress", "course-help", "true"]:
    print(f"  {name:16} {ms(s[name]):7.2f} ms  ± {s[name]['stddev']*1000:.2f}")
PY
