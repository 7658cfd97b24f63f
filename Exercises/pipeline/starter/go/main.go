// Command pipeline: read integers from standard input, ask the upstream for each
// (GET $UPSTREAM_URL/work/{n}) with at most $WORKERS requests in flight, and print the
// results in input order. Start here.
//
// Run the upstream with `course serve upstream`, then
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
	// "n result" from its JSON answer {"n":n,"result":...}.
	// TODO(concurrent, bounded): up to workers() requests at once, never more.
	// TODO(order): print in input order, whichever answer comes first.
	// TODO(failures): an item that fails gets the line "n error ..." and the rest go on.
	// TODO(signal): on SIGINT or SIGTERM, no new requests, cancel those in flight, exit 1.
	fmt.Fprintf(os.Stderr, "pipeline: not written yet; ask %s/work/{n} for each integer with %d workers (see README.md)\n",
		os.Getenv("UPSTREAM_URL"), workers())
	os.Exit(1)
}
