package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// An example to start from: it calls the handlers directly (no network) and checks the
// status. It passes on the correct program, and on every broken one too, because a status
// 200 is all it looks at. Write tests that would fail if the API answered wrongly.
func TestListAnswers(t *testing.T) {
	api := &API{store: NewStore()}
	req := httptest.NewRequest("GET", "/api/v1/users", nil)
	rec := httptest.NewRecorder()
	api.Routes().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/users: status %d, want 200", rec.Code)
	}
}
