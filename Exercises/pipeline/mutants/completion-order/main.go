// Command pipeline reads integers from standard input, asks the upstream for each
// (GET $UPSTREAM_URL/work/{n}) with at most $WORKERS requests in flight, and prints the
// results in input order. SIGINT or SIGTERM stops it: no new requests, the ones in flight
// cancelled, exit status 1.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

// outcome is one item's line: its result, or why it has none.
type outcome struct {
	n      int64
	result int64
	err    error
}

func (o outcome) String() string {
	if o.err != nil {
		return fmt.Sprintf("%d error %v", o.n, o.err)
	}
	return fmt.Sprintf("%d %d", o.n, o.result)
}

// fetch asks the upstream for n. The request carries ctx, so cancelling ctx abandons it
// (the connection is closed, and the upstream sees the client go away).
func fetch(ctx context.Context, client *http.Client, base string, n int64) outcome {
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/work/%d", base, n), nil)
	if err != nil {
		return outcome{n: n, err: err}
	}
	response, err := client.Do(request)
	if err != nil {
		return outcome{n: n, err: err}
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return outcome{n: n, err: fmt.Errorf("upstream answered %s", response.Status)}
	}
	var body struct {
		Result int64 `json:"result"`
	}
	if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
		return outcome{n: n, err: fmt.Errorf("reading the answer: %v", err)}
	}
	return outcome{n: n, result: body.Result}
}

func workers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil || n < 1 {
		return 4
	}
	return n
}

// produce reads the input and starts one fetch per integer, at most `workers` at once
// (sem), handing each item's result channel to the printer in input order (order). It
// stops at end of input or when ctx is cancelled, and closes order either way.
func produce(ctx context.Context, client *http.Client, base string, workers int, order chan<- chan outcome, bad *bool) {
	defer close(order)
	sem := make(chan struct{}, workers)
	scanner := bufio.NewScanner(os.Stdin)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" {
			continue
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "line %d: %q is not an integer, skipped\n", line, text)
			*bad = true
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		if ctx.Err() != nil { // both were ready: a signal wins over a free slot
			return
		}
		result := make(chan outcome, 1)
		select {
		case order <- result:
		case <-ctx.Done():
			return
		}
		go func() {
			defer func() { <-sem }()
			o := fetch(ctx, client, base, n)
			fmt.Println(o) // printed as it comes
			result <- o
		}()
	}
}

func main() {
	base := strings.TrimRight(os.Getenv("UPSTREAM_URL"), "/")
	if base == "" {
		base = "http://127.0.0.1:8081"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	n := workers()
	// Idle connections kept for every worker, so each request reuses one.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	order := make(chan chan outcome, n)
	bad := false
	go produce(ctx, client, base, n, order, &bad)

	failed := false
	for result := range order {
		select {
		case o := <-result:
			if ctx.Err() != nil {
				break
			}
			failed = failed || o.err != nil
			continue
		case <-ctx.Done():
		}
		// A signal: what is printed stands; requests in flight are cancelled with ctx.
		fmt.Fprintln(os.Stderr, "stopped by a signal")
		os.Exit(1)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "stopped by a signal")
		os.Exit(1)
	}
	if failed || bad {
		os.Exit(1)
	}
}
