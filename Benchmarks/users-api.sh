#!/usr/bin/env bash
# The users API reference (`course serve users-api`, Swift + Hummingbird) against the Go
# sample solution of the users-api exercise (net/http, standard library), side by side
# under wrk on loopback: GET the list, GET one user, POST new users. Both start empty and
# get the same 100 users first; each endpoint is measured on one server, then the other,
# and the pair is repeated, so drift on the machine hits both alike. The reads run before
# any create, so both lists hold the same 100 users when they are read.
# Prints requests per second and p99 latency for each, and the ratios (reference / Go).
# The first row is each stack's floor (a constant answer), the ceiling of the rows below.
# Usage: Benchmarks/users-api.sh [seconds per run, default 10] [connections, default 32]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
duration="${1:-10}"
connections="${2:-32}"
bash scripts/setup.sh --tests >/dev/null
swift build -c release --product course >/dev/null
bin="$root/.build/release/course"
out="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$out"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 1 200); do
        curl -s -o /dev/null "http://127.0.0.1:$1/api/v1/users" && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    exit 1
}

cp -r Exercises/users-api/solution/go "$out/go"
(cd "$out/go" && GO111MODULE=off GOPATH=/usr/share/gocode go build -o program .)
# The floor of each stack: the least a request can cost. The reference's /healthz (a
# constant through the same router) against a Go net/http handler writing the same bytes.
mkdir -p "$out/floor"
cat >"$out/floor/main.go" <<'GO'
package main

import (
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
GO
(cd "$out/floor" && GO111MODULE=off go build -o floor .)

ref_port=$(free_port)
"$bin" serve users-api --port "$ref_port" >"$out/ref.log" 2>&1 &
pids+=($!)
go_port=$(free_port)
PORT="$go_port" "$out/go/program" >"$out/go.log" 2>&1 &
pids+=($!)
floor_port=$(free_port)
PORT="$floor_port" "$out/floor/floor" >"$out/floor.log" 2>&1 &
pids+=($!)
wait_port "$ref_port"
wait_port "$go_port"
wait_port "$floor_port"

for port in "$ref_port" "$go_port"; do
    for i in $(seq 1 100); do
        curl -s -o /dev/null -H 'Content-Type: application/json' \
            -d "{\"name\":\"User $i\",\"email\":\"user$i@example.com\"}" "http://127.0.0.1:$port/api/v1/users"
    done
done

# POST bodies with an email no other request uses: per run (the argument), thread and
# counter. `setup` runs in the main Lua state and sets `tid` in each thread's own state.
cat >"$out/post.lua" <<'EOF'
local threads = 0
function setup(thread)
    thread:set("tid", threads)
    threads = threads + 1
end
local counter = 0
local run = "x"
function init(args)
    run = args[1] or "x"
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    counter = counter + 1
    local body = string.format('{"name":"Load %d","email":"load-%s-%d-%d@example.com"}', counter, run, tid, counter)
    return wrk.format(nil, "/api/v1/users", nil, body)
end
EOF

measure() { # name port path [script]
    local args=(-t2 -c"$connections" -d"${duration}s" --latency)
    if [ -n "${4:-}" ]; then
        wrk "${args[@]}" -s "$4" "http://127.0.0.1:$2$3" -- "$1" >"$out/$1.txt"
    else
        wrk "${args[@]}" "http://127.0.0.1:$2$3" >"$out/$1.txt"
    fi
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out/$1.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$out/$1.txt")
    local errors
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out/$1.txt")
    echo "$1 $rps $p99 ${errors:-0}" >>"$out/results"
}

for round in 1 2; do
    measure "reference-floor-$round" "$ref_port" /healthz
    measure "go-floor-$round" "$floor_port" /healthz
done
# Reads first, while both servers hold the same 100 users; then the creates, which grow them.
for endpoint in list one create; do
    case $endpoint in
        list) path=/api/v1/users; script= ;;
        one) path=/api/v1/users/50; script= ;;
        create) path=/api/v1/users; script="$out/post.lua" ;;
    esac
    for round in 1 2; do
        measure "reference-$endpoint-$round" "$ref_port" "$path" "$script"
        measure "go-$endpoint-$round" "$go_port" "$path" "$script"
    done
done

echo "wrk: 2 threads, $connections connections, ${duration} s per run, 2 rounds; 100 users stored before the first run"
python3 - "$out/results" <<'EOF'
import sys, re
def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rows = {}
for line in open(sys.argv[1]):
    name, rps, p99, errors = line.split()
    server, endpoint, _ = name.split("-")
    rows.setdefault((server, endpoint), []).append((float(rps), ms(p99), int(errors)))
print(f"{'endpoint':10} {'reference req/s':>16} {'Go req/s':>10} {'ratio':>6}   {'ref p99 ms':>10} {'Go p99 ms':>9} {'ratio':>6}")
for endpoint, label in [("floor", "floor"), ("list", "GET list"), ("one", "GET one"), ("create", "POST")]:
    ref = rows[("reference", endpoint)]
    go = rows[("go", endpoint)]
    ref_rps = sum(r[0] for r in ref) / len(ref)
    go_rps = sum(r[0] for r in go) / len(go)
    ref_p99 = sum(r[1] for r in ref) / len(ref)
    go_p99 = sum(r[1] for r in go) / len(go)
    bad = sum(r[2] for r in ref + go)
    note = f"  ({bad} non-2xx responses)" if bad else ""
    print(f"{label:10} {ref_rps:16.0f} {go_rps:10.0f} {ref_rps / go_rps:6.2f}   {ref_p99:10.2f} {go_p99:9.2f} {ref_p99 / go_p99:6.2f}{note}")
EOF
