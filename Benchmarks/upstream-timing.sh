#!/usr/bin/env bash
# The instrumented upstream's timing under load: REQUESTS requests at once (one connection
# each, from one Python asyncio process, a client far lighter than a process per request),
# each to be answered after LATENCY ms by `course serve upstream`. Prints, from the
# upstream's own log of each answer, how much longer than LATENCY each request took between
# its arrival and its answer (min, median, p99, max), and what the client saw. Run it on a
# quiet machine and on a busy one (`--busy` spins both cores with two shells meanwhile).
# Usage: Benchmarks/upstream-timing.sh [requests, default 200] [latency ms, default 50] [--busy]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
requests="${1:-200}"
latency="${2:-50}"
busy="${3:-}"
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

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" serve upstream --port "$port" --latency "${latency}ms" >"$out/log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do grep -q listening "$out/log" && break; sleep 0.05; done
if [[ "$busy" == --busy ]]; then
    for _ in 1 2; do sh -c 'while :; do :; done' & pids+=($!); done
fi

for round in 1 2 3; do
    : >"$out/log"
    python3 - "$port" "$requests" "$latency" "$out/log" "$round" <<'PY'
import asyncio, re, statistics, sys, time
port, count, latency, log, round_ = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]

async def one(n, start):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await start.wait()
    began = time.perf_counter()
    writer.write(f"GET /work/{n} HTTP/1.1\r\nHost: upstream\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    seen = time.perf_counter() - began
    writer.close()
    assert b" 200 " in data.split(b"\r\n", 1)[0], data[:80]
    return seen

async def main():
    start = asyncio.Event()
    tasks = [asyncio.create_task(one(n, start)) for n in range(1, count + 1)]
    await asyncio.sleep(0.5)  # every connection open before the first request goes
    start.set()
    return await asyncio.gather(*tasks)

seen = sorted(asyncio.run(main()))
time.sleep(0.2)
recorded = sorted(float(m.group(1)) - latency for m in re.finditer(r"200 after ([0-9.]+) ms", open(log).read()))
assert len(recorded) == count, f"{len(recorded)} answers logged of {count}"
def pct(values, p): return values[min(len(values) - 1, int(len(values) * p))]
most = max(int(m.group(1)) for m in re.finditer(r"(\d+) in flight", open(log).read()))
print(f"round {round_}: {count} at once (most in flight {most}), recorded minus {latency:.0f} ms: "
      f"min {recorded[0]:.1f}, median {statistics.median(recorded):.1f}, p99 {pct(recorded, 0.99):.1f}, max {recorded[-1]:.1f} ms; "
      f"client saw median {statistics.median(seen) * 1000:.1f}, p99 {pct(seen, 0.99) * 1000:.1f} ms")
PY
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)${busy:+, both cores spun}"
