// Command pipeline-basics squares the integers on standard input with $WORKERS goroutines
// and prints the squares in input order: generator → workers → sink, joined by channels.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// square stands for slow work: it sleeps (|n| mod 10) × 5 ms, then squares n.
func square(n int64) int64 {
	steps := n % 10
	if steps < 0 {
		steps = -steps
	}
	time.Sleep(time.Duration(steps) * 5 * time.Millisecond)
	return n * n
}

// job is one integer and its place in the input; result carries the place along, so the
// sink can put answers back in input order however the workers finish.
type job struct {
	index int
	n     int64
}

type result struct {
	index  int
	square int64
}

// workers reads $WORKERS: how many goroutines square at once (4 when it is not set).
func workers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil || n < 1 {
		return 4
	}
	return n
}

// generate sends every integer line as a job and closes jobs at end of input, which is what
// lets the workers, and then the sink, finish. It reports whether it skipped a line.
func generate(jobs chan<- job, skipped *bool) {
	defer close(jobs)
	scanner := bufio.NewScanner(os.Stdin)
	index := 0
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" {
			continue
		}
		n, err := strconv.ParseInt(text, 10, 32)
		if err != nil {
			fmt.Fprintf(os.Stderr, "line %d: %q is not an integer, skipped\n", line, text)
			*skipped = true
			break
		}
		jobs <- job{index, n}
		index++
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "reading standard input: %v\n", err)
		*skipped = true
	}
}

func main() {
	jobs := make(chan job)
	results := make(chan result)
	skipped := false
	go generate(jobs, &skipped)

	var wg sync.WaitGroup
	for i := 0; i < workers(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- result{j.index, square(j.n)}
			}
		}()
	}
	// The last worker to finish closes results, so the sink's loop ends.
	go func() {
		wg.Wait()
		close(results)
	}()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	waiting := map[int]int64{}
	next := 0
	for r := range results {
		waiting[r.index] = r.square
		for {
			square, ok := waiting[next]
			if !ok {
				break
			}
			fmt.Fprintln(out, square)
			delete(waiting, next)
			next++
		}
	}
	if skipped {
		out.Flush()
		os.Exit(1)
	}
}
