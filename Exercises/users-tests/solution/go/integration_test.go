package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// startServer runs the API on a free port of the loopback (httptest picks it) and stops it
// when the test ends: real connections, real HTTP, each handled in its own goroutine.
func startServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer((&API{store: NewStore()}).Routes())
	t.Cleanup(srv.Close)
	return srv.URL
}

func post(t *testing.T, base, name, email string) int {
	resp, err := http.Post(base+"/api/v1/users", "application/json",
		strings.NewReader(fmt.Sprintf(`{"name":%q,"email":%q}`, name, email)))
	if err != nil {
		t.Errorf("POST: %v", err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestConcurrentCreates: 40 clients create users at once; every create succeeds and the
// list holds each one, under distinct ids. Run with -race, it also shows the store locks.
func TestConcurrentCreates(t *testing.T) {
	base := startServer(t)
	const n = 40
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if code := post(t, base, fmt.Sprint("user ", i), fmt.Sprintf("user%d@example.com", i)); code != 201 {
				t.Errorf("create %d: status %d, want 201", i, code)
			}
		}(i)
	}
	wg.Wait()
	resp, err := http.Get(base + "/api/v1/users")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Users []User }
	if err := jsonDecode(resp, &body); err != nil {
		t.Fatal(err)
	}
	ids := map[int]bool{}
	for _, u := range body.Users {
		ids[u.ID] = true
	}
	if len(body.Users) != n || len(ids) != n {
		t.Fatalf("after %d concurrent creates the list holds %d users with %d distinct ids", n, len(body.Users), len(ids))
	}
}

// TestConcurrentDuplicateEmail: 20 clients create a user with one email at once; exactly
// one may win.
func TestConcurrentDuplicateEmail(t *testing.T) {
	base := startServer(t)
	const n = 20
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes <- post(t, base, fmt.Sprint("twin ", i), "twin@example.com")
		}(i)
	}
	wg.Wait()
	close(codes)
	created := 0
	for code := range codes {
		if code == 201 {
			created++
		} else if code != 409 {
			t.Errorf("status %d, want 201 or 409", code)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent creates with one email succeeded, want exactly 1", created, n)
	}
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
