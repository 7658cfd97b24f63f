// Command pipeline-resilient reads integers from standard input, asks the upstream for each
// (GET $UPSTREAM_URL/work/{n}) with at most $WORKERS items at work, and prints the results
// in input order, surviving a slow and flaky upstream: each attempt has a 1 s deadline,
// failures a retry can fix (5xx, a broken connection, a timeout) are retried up to 4
// attempts with growing, jittered waits, a circuit breaker stops calling after 5 failures
// in a row, and bodies are read to the end so connections are reused. SIGINT or SIGTERM
// stops it: no new requests, the ones in flight cancelled, exit status 1.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	perAttempt  = 1 * time.Second        // each attempt's deadline
	maxAttempts = 4                      // attempts per item, the first included
	backoffBase = 100 * time.Millisecond // the wait before the first retry is 50-100 ms
	threshold   = 5                      // failures in a row that open the breaker
	coolDown    = 1 * time.Second        // how long it stays open before one probe
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

// errOpen refuses a call while the breaker is open (or its one probe is out).
var errOpen = errors.New("circuit open: the upstream failed too often, not calling it")

// breaker counts failed attempts in a row. At `threshold` it opens: every call is refused
// for `coolDown`, then one call goes through as a probe; its success closes the breaker,
// its failure opens it again.
type breaker struct {
	mu       sync.Mutex
	failures int
	open     bool
	openedAt time.Time
	probing  bool
}

// allow says whether a call may go ahead; every allowed call must be followed by done.
func (b *breaker) allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return nil
	}
	if b.probing || time.Since(b.openedAt) < coolDown {
		return errOpen
	}
	b.probing = true
	return nil
}

// done records how an allowed call went: any answer below 500 is a success.
func (b *breaker) done(success bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	if success {
		b.failures, b.open = 0, false
		return
	}
	b.failures++
	if b.open || b.failures >= threshold {
		b.open, b.openedAt = true, time.Now()
	}
}

// answer is what one attempt got: a status and its body, or an error (no answer).
type answer struct {
	status string
	code   int
	body   []byte
	err    error
}

// attempt makes one request with its own deadline and reads the body to the end before
// closing it, so the connection goes back to the Transport's pool.
func attempt(ctx context.Context, client *http.Client, url string) answer {
	ctx, cancel := context.WithTimeout(ctx, perAttempt)
	defer cancel()
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return answer{err: err}
	}
	response, err := client.Do(request)
	if err != nil {
		return answer{err: err}
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		return answer{err: err}
	}
	return answer{status: response.Status, code: response.StatusCode, body: body}
}

// backoff is the wait before attempt `next` (2, 3, 4): a random time between half and all
// of 100 ms, 200 ms, 400 ms ("equal jitter": never shorter than half).
func backoff(next int) time.Duration {
	ceiling := backoffBase << uint(next-2)
	half := ceiling / 2
	return half + time.Duration(rand.Int63n(int64(half)+1))
}

// fetch asks the upstream for n, retrying what a retry can fix. It returns ok=false when
// ctx was cancelled (a signal): the item then gets no line.
func fetch(ctx context.Context, client *http.Client, cb *breaker, base string, n int64) (outcome, bool) {
	url := fmt.Sprintf("%s/work/%d", base, n)
	var last error
	var got *outcome
	for try := 1; try <= maxAttempts; try++ {
		if try > 1 {
			timer := time.NewTimer(backoff(try))
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				return outcome{}, false
			}
		}
		if err := cb.allow(); err != nil {
			return outcome{n: n, err: err}, true
		}
		a := attempt(ctx, client, url)
		if ctx.Err() != nil {
			cb.done(true) // our own cancellation says nothing about the upstream
			return outcome{}, false
		}
		switch {
		case a.err != nil: // timeout, reset, refused: retry
			cb.done(false)
			last = a.err
		case a.code >= 500:
			cb.done(false)
			last = fmt.Errorf("upstream answered %s", a.status)
		case a.code != http.StatusOK: // 4xx: asking again gets the same answer
			cb.done(true)
			return outcome{n: n, err: fmt.Errorf("upstream answered %s", a.status)}, true
		default:
			cb.done(true)
			var body struct {
				Result int64 `json:"result"`
			}
			if err := json.Unmarshal(a.body, &body); err != nil {
				return outcome{n: n, err: fmt.Errorf("reading the answer: %v", err)}, true
			}
			got = &outcome{n: n, result: body.Result}
			break // leaves the switch, not the loop: the item is asked again
		}
	}
	if got != nil {
		return *got, true
	}
	return outcome{n: n, err: fmt.Errorf("gave up after %d attempts: %v", maxAttempts, last)}, true
}

func workers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil || n < 1 {
		return 4
	}
	return n
}

// produce reads the input a line at a time and starts one fetch per integer, at most
// `workers` at once (sem; a slot is held through the item's retries and waits), handing each
// item's result channel to the printer in input order. It stops at end of input or when
// ctx is cancelled, and closes order either way.
func produce(ctx context.Context, client *http.Client, cb *breaker, base string, workers int, order chan<- chan outcome, bad *bool) {
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
			if o, ok := fetch(ctx, client, cb, base, n); ok {
				result <- o
			}
		}()
	}
}

// stopped ends the program after a signal: what is printed stands.
func stopped() {
	fmt.Fprintln(os.Stderr, "stopped by a signal")
	os.Exit(1)
}

func main() {
	rand.Seed(time.Now().UnixNano()) // Go 1.19 seeds math/rand the same in every process
	base := strings.TrimRight(os.Getenv("UPSTREAM_URL"), "/")
	if base == "" {
		base = "http://127.0.0.1:8081"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	n := workers()
	// One idle connection kept per worker (the default keeps 2), so each request reuses one.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = n
	client := &http.Client{Transport: transport}
	order := make(chan chan outcome, n)
	bad := false
	go produce(ctx, client, &breaker{}, base, n, order, &bad)

	failed := false
	for {
		var result chan outcome
		var more bool
		select {
		case result, more = <-order:
		case <-ctx.Done():
			stopped()
		}
		if !more {
			break
		}
		select {
		case o := <-result:
			fmt.Println(o)
			failed = failed || o.err != nil
		case <-ctx.Done():
			stopped()
		}
	}
	if ctx.Err() != nil {
		stopped()
	}
	if failed || bad {
		os.Exit(1)
	}
}
