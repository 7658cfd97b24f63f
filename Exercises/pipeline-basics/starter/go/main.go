// Command pipeline-basics: read integers from standard input, square them with $WORKERS
// goroutines, print the squares in input order. Start here.
//
// Try it with `printf '3\n4\n' | WORKERS=2 go run .`; `course check pipeline-basics` says
// what to do next.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// square stands for slow work: it sleeps (|n| mod 10) × 5 ms, then squares n. It already
// works: call it for every integer and keep the sleep, the checks time your program with it.
func square(n int64) int64 {
	steps := n % 10
	if steps < 0 {
		steps = -steps
	}
	time.Sleep(time.Duration(steps) * 5 * time.Millisecond)
	return n * n
}

// workers reads $WORKERS: how many goroutines square at once (4 when it is not set).
func workers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil || n < 1 {
		return 4
	}
	return n
}

func main() {
	// TODO(squares): a generator goroutine reads standard input line by line and sends each
	// integer, with its index, on a jobs channel; it closes the channel at end of input.
	// TODO(squares): workers() goroutines take jobs, call square, and send results on.
	// TODO(order): the sink (main) prints the squares in input order, however they finish.
	// TODO(bad-lines): a line that is not an integer is reported on standard error, skipped,
	// and makes the exit status 1.
	fmt.Fprintf(os.Stderr, "pipeline-basics: not written yet; read the integers on standard input and square them with %d workers (see README.md)\n", workers())
	os.Exit(1)
}
