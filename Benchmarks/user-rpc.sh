#!/usr/bin/env bash
# The user RPC reference (`course serve user-rpc`, grpc-swift-2 on SwiftNIO HTTP/2) against
# the Go sample solution of the user-rpc exercise (Debian's grpc-go) and a Python grpcio
# server (Tests/UserRPCTests/Scripts/user_server.py), side by side on loopback under one load
# generator: `course bench-rpc`, the checks' own grpc-swift-2 client, CONCURRENCY calls in
# flight over one HTTP/2 connection (ghz cannot be had here). Unary GetUser (of 100 users
# created first) and CreateUser; each row runs on each server in turn and the round is
# repeated, so drift on the machine hits all three alike; the better of the two is kept.
# Prints calls per second and p99 latency for each, and the ratios reference/Go and
# reference/Python. Goal: at least Go's calls/s, and at least 3x Python's.
# Usage: Benchmarks/user-rpc.sh [seconds per run, default 5] [concurrency, default 50]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
seconds="${1:-5}"
concurrency="${2:-50}"
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
        python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    exit 1
}

cp -r Exercises/user-rpc/solution/go "$out/go"
# A module cache of its own: one left from an older offline proxy would fail go.sum.
(cd "$out/go" && GOMODCACHE="$out/gomod" GOFLAGS=-modcacherw go build -o program .)
mkdir -p "$out/python"
cp Tests/UserRPCTests/Scripts/user_server.py "$out/python/"
(cd "$out/python" && python3 -m grpc_tools.protoc -I "$root/Exercises/user-rpc" --python_out=. --grpc_python_out=. user.proto)

ref_port="$(free_port)"
"$bin" serve user-rpc --port "$ref_port" --quiet >/dev/null &
pids+=($!)
go_port="$(free_port)"
PORT="$go_port" "$out/go/program" >/dev/null 2>&1 &
pids+=($!)
py_port="$(free_port)"
(cd "$out/python" && PORT="$py_port" PYTHONDONTWRITEBYTECODE=1 exec python3 user_server.py >/dev/null 2>&1) &
pids+=($!)
for port in "$ref_port" "$go_port" "$py_port"; do wait_port "$port"; done

# One run: "calls-per-second p99-ms" of one call on one server.
run() {
    "$bin" bench-rpc --port "$1" --call "$2" --concurrency "$concurrency" --seconds "$seconds" | awk '{print $2, $4}'
}

printf '%-11s %12s %8s %12s %8s %12s %8s %9s %9s\n' "call" "reference/s" "p99 ms" "go/s" "p99 ms" "python/s" "p99 ms" "ref/go" "ref/py"
for call in GetUser CreateUser; do
    declare -A best=() p99=()
    for _ in 1 2; do
        for server in ref go py; do
            port_var="${server}_port"
            read -r rate latency < <(run "${!port_var}" "$call")
            if awk -v a="$rate" -v b="${best[$server]:-0}" 'BEGIN{exit !(a>b)}'; then
                best[$server]=$rate
                p99[$server]=$latency
            fi
        done
    done
    awk -v c="$call" -v r="${best[ref]}" -v rp="${p99[ref]}" -v g="${best[go]}" -v gp="${p99[go]}" -v p="${best[py]}" -v pp="${p99[py]}" \
        'BEGIN{printf "%-11s %12.0f %8.2f %12.0f %8.2f %12.0f %8.2f %8.2fx %8.2fx\n", c, r, rp, g, gp, p, pp, r/g, r/p}'
    unset best p99
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min), ${seconds}s per run, ${concurrency} calls in flight, best of 2"
