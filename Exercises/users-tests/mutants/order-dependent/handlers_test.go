package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// One API for every test: each test sees what the tests before it did.
var shared = (&API{store: NewStore()}).Routes()

func TestACreate(t *testing.T) {
	rec := httptest.NewRecorder()
	shared.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/users", strings.NewReader(`{"name":"Ada","email":"ada@example.com"}`)))
	if rec.Code != 201 {
		t.Fatalf("create: %d", rec.Code)
	}
}

func TestBGetTheCreatedUser(t *testing.T) {
	rec := httptest.NewRecorder()
	shared.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/users/1", nil))
	if rec.Code != 200 {
		t.Fatalf("get: %d", rec.Code)
	}
}
