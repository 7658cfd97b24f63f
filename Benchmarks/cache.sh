#!/usr/bin/env bash
# The reference cache (`course serve cache`, SwiftNIO) against redis-server 7 (Debian's,
# no persistence), side by side on loopback under redis-benchmark: SET and GET, 50 clients,
# without pipelining (-P 1) and with 16 commands per write (-P 16). Each row runs on one
# server, then the other, and the pair is repeated, so drift on the machine hits both alike.
# Prints requests per second and p99 latency for each, and the ratios (reference / redis).
# Usage: Benchmarks/cache.sh [requests per run, default 200000] [clients, default 50]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
requests="${1:-200000}"
clients="${2:-50}"
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
        redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "nothing answers PING on port $1" >&2
    exit 1
}

redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$out" >/dev/null &
pids+=($!)
cache_port="$(free_port)"
"$bin" serve cache --port "$cache_port" --quiet >/dev/null &
pids+=($!)
wait_port "$redis_port"
wait_port "$cache_port"

# One run: "requests-per-second p99-ms" of one test on one server.
run() {
    local port="$1" test="$2" pipeline="$3"
    redis-benchmark -p "$port" -t "$test" -n "$requests" -c "$clients" -P "$pipeline" -r 100000 -q --csv 2>/dev/null |
        python3 -c 'import csv,sys
rows=[r for r in csv.reader(sys.stdin)]
head, row = rows[0], rows[1]
print(row[head.index("rps")], row[head.index("p99_latency_ms")])'
}

printf '%-10s %14s %10s %14s %10s %8s %8s\n' "test" "reference/s" "p99 ms" "redis/s" "p99 ms" "ops" "p99"
for pipeline in 1 16; do
    for test in set get; do
        best_ref=0; best_ref_p99=0; best_redis=0; best_redis_p99=0
        for _ in 1 2; do
            read -r ref ref_p99 < <(run "$cache_port" "$test" "$pipeline")
            read -r red red_p99 < <(run "$redis_port" "$test" "$pipeline")
            if python3 -c "import sys; sys.exit(0 if float('$ref') > float('$best_ref') else 1)"; then best_ref=$ref; best_ref_p99=$ref_p99; fi
            if python3 -c "import sys; sys.exit(0 if float('$red') > float('$best_redis') else 1)"; then best_redis=$red; best_redis_p99=$red_p99; fi
        done
        python3 - "$test -P $pipeline" "$best_ref" "$best_ref_p99" "$best_redis" "$best_redis_p99" <<'PY'
import sys
name, ref, ref_p99, red, red_p99 = sys.argv[1], *map(float, sys.argv[2:])
print(f"{name:<10} {ref:>14,.0f} {ref_p99:>10.3f} {red:>14,.0f} {red_p99:>10.3f} {ref/red:>7.2f}x {ref_p99/red_p99 if red_p99 else float('nan'):>7.2f}x")
PY
    done
done
echo "ops: reference ops/s divided by redis-server's (above 1: faster); p99: reference p99 divided by redis-server's (below 1: better)"
