package main

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestListAfterAWait(t *testing.T) {
	srv := httptest.NewServer((&API{store: NewStore()}).Routes())
	defer srv.Close()
	time.Sleep(15 * time.Second) // "give the server time to start"
}
