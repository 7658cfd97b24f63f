// Command pipeline-resilient: the pipeline again, against a slow and flaky upstream. Read
// integers from standard input, ask the upstream for each (GET $UPSTREAM_URL/work/{n}) with
// at most $WORKERS requests in flight, print the results in input order, and survive what
// the upstream does wrong. Start here, or from your pipeline program.
//
// Run the upstream with `course serve upstream --fail-rate 0.2`, then
// `seq 1 20 | UPSTREAM_URL=http://127.0.0.1:8081 WORKERS=4 go run .`.
package main

import (
	"fmt"
	"os"
	"strconv"
)

// workers reads $WORKERS: the most requests in flight at once (4 when it is not set).
func workers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil || n < 1 {
		return 4
	}
	return n
}

func main() {
	// TODO(results): for each integer n on standard input, GET $UPSTREAM_URL/work/n and print
	// "n result" in input order, at most workers() requests in flight (the pipeline exercise).
	// TODO(timeout): give each attempt a deadline of 1 s.
	// TODO(retries): retry 5xx, broken connections and timeouts, never 4xx: at most 4
	// attempts, waiting 50-100, 100-200, 200-400 ms before retries 1, 2, 3.
	// TODO(bounded): a retry needs a slot like any request.
	// TODO(breaker): after 5 failed attempts in a row, call nothing for 1 s, then one probe.
	// TODO(reuse): read every body to the end and close it; keep workers() idle connections.
	// TODO(signal): on SIGINT or SIGTERM, no new requests, cancel those in flight, exit 1.
	fmt.Fprintf(os.Stderr, "pipeline-resilient: not written yet; ask %s/work/{n} for each integer with %d workers (see README.md)\n",
		os.Getenv("UPSTREAM_URL"), workers())
	os.Exit(1)
}
