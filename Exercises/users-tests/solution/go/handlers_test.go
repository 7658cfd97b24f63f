package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call sends one request straight to the handlers, without a network: httptest records
// the response.
func call(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, reader)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// newAPI is a fresh API with an empty store, so each test starts from nothing.
func newAPI() http.Handler { return (&API{store: NewStore()}).Routes() }

// decode reads a JSON body into v, failing the test when it is not JSON.
func decode(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("body %q is not JSON: %v", rec.Body.String(), err)
	}
}

// mustCreate creates a user and returns it, failing unless the answer is 201.
func mustCreate(t *testing.T, h http.Handler, name, email string) User {
	t.Helper()
	rec := call(t, h, "POST", "/api/v1/users", `{"name":"`+name+`","email":"`+email+`"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST %s: status %d, want 201; body %s", email, rec.Code, rec.Body)
	}
	var u User
	decode(t, rec, &u)
	return u
}

func TestListStartsEmpty(t *testing.T) {
	rec := call(t, newAPI(), "GET", "/api/v1/users", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	var body struct{ Users []User }
	decode(t, rec, &body)
	if body.Users == nil || len(body.Users) != 0 {
		t.Fatalf("body %s, want {\"users\":[]}", rec.Body)
	}
}

// TestCreateValidation: one row per body a client may send, with the status it must get.
func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"valid", `{"name":"Ada","email":"ada@example.com"}`, 201},
		{"not JSON", `{"name":`, 400},
		{"empty body", ``, 400},
		{"empty name", `{"name":"","email":"ada@example.com"}`, 400},
		{"name of spaces", `{"name":"   ","email":"ada@example.com"}`, 400},
		{"missing email", `{"name":"Ada"}`, 400},
		{"email without @", `{"name":"Ada","email":"ada.example.com"}`, 400},
		{"email with a space", `{"name":"Ada","email":"ada lovelace@example.com"}`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, newAPI(), "POST", "/api/v1/users", tc.body)
			if rec.Code != tc.want {
				t.Fatalf("POST %s: status %d, want %d; body %s", tc.body, rec.Code, tc.want, rec.Body)
			}
			if tc.want == 400 {
				var e struct{ Error string }
				decode(t, rec, &e)
				if e.Error == "" {
					t.Fatalf("body %s, want {\"error\": \"...\"}", rec.Body)
				}
			}
		})
	}
}

func TestDuplicateEmails(t *testing.T) {
	tests := []struct {
		name   string
		second string
		want   int
	}{
		{"same email", "ada@example.com", 409},
		{"same email in capitals", "ADA@Example.com", 409},
		{"another email", "grace@example.com", 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newAPI()
			mustCreate(t, h, "Ada", "ada@example.com")
			rec := call(t, h, "POST", "/api/v1/users", `{"name":"Someone","email":"`+tc.second+`"}`)
			if rec.Code != tc.want {
				t.Fatalf("second POST with %s: status %d, want %d", tc.second, rec.Code, tc.want)
			}
		})
	}
}

// TestStatusCodes: one row per request on a store holding user 1.
func TestStatusCodes(t *testing.T) {
	tests := []struct {
		method, path, body string
		want               int
		allow              bool // the answer must say which methods are allowed
	}{
		{"GET", "/api/v1/users/1", "", 200, false},
		{"GET", "/api/v1/users/99", "", 404, false},
		{"GET", "/api/v1/users/abc", "", 400, false},
		{"PUT", "/api/v1/users/abc", `{"name":"X","email":"x@example.com"}`, 400, false},
		{"DELETE", "/api/v1/users/abc", "", 400, false},
		{"PUT", "/api/v1/users/99", `{"name":"X","email":"x@example.com"}`, 404, false},
		{"DELETE", "/api/v1/users/99", "", 404, false},
		{"GET", "/api/v1/users/1/posts", "", 404, false},
		{"GET", "/api/v1/nothing", "", 404, false},
		{"PATCH", "/api/v1/users", "", 405, true},
		{"PATCH", "/api/v1/users/1", "", 405, true},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			h := newAPI()
			mustCreate(t, h, "Ada", "ada@example.com")
			rec := call(t, h, tc.method, tc.path, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("%s %s: status %d, want %d; body %s", tc.method, tc.path, rec.Code, tc.want, rec.Body)
			}
			if tc.allow && rec.Header().Get("Allow") == "" {
				t.Fatalf("%s %s: 405 without an Allow header", tc.method, tc.path)
			}
		})
	}
}

func TestGetReturnsTheUser(t *testing.T) {
	h := newAPI()
	created := mustCreate(t, h, "Ada", "ada@example.com")
	rec := call(t, h, "GET", "/api/v1/users/1", "")
	var got User
	decode(t, rec, &got)
	if got != created || got.ID != 1 {
		t.Fatalf("GET /api/v1/users/1 = %s, want the created user %+v with id 1", rec.Body, created)
	}
}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name, email string
	}{
		{"keeps its email", "ada@example.com"},
		{"keeps its email in capitals", "ADA@EXAMPLE.COM"},
		{"changes its email", "countess@example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newAPI()
			mustCreate(t, h, "Ada", "ada@example.com")
			rec := call(t, h, "PUT", "/api/v1/users/1", `{"name":"Ada L.","email":"`+tc.email+`"}`)
			if rec.Code != 200 {
				t.Fatalf("PUT with %s: status %d, want 200; body %s", tc.email, rec.Code, rec.Body)
			}
			var got User
			decode(t, rec, &got)
			if got.Name != "Ada L." || got.Email != tc.email {
				t.Fatalf("PUT answered %s", rec.Body)
			}
		})
	}
}

func TestPutTakingAnotherUsersEmailConflicts(t *testing.T) {
	h := newAPI()
	mustCreate(t, h, "Ada", "ada@example.com")
	mustCreate(t, h, "Grace", "grace@example.com")
	if rec := call(t, h, "PUT", "/api/v1/users/2", `{"name":"Grace","email":"ada@example.com"}`); rec.Code != 409 {
		t.Fatalf("PUT taking user 1's email: status %d, want 409", rec.Code)
	}
}

func TestChangedEmailIsFreeAgain(t *testing.T) {
	h := newAPI()
	mustCreate(t, h, "Ada", "ada@example.com")
	call(t, h, "PUT", "/api/v1/users/1", `{"name":"Ada","email":"countess@example.com"}`)
	mustCreate(t, h, "Another Ada", "ada@example.com")
}

func TestDelete(t *testing.T) {
	h := newAPI()
	mustCreate(t, h, "Ada", "ada@example.com")
	rec := call(t, h, "DELETE", "/api/v1/users/1", "")
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("DELETE: status %d body %q, want 204 with no body", rec.Code, rec.Body)
	}
	if rec := call(t, h, "GET", "/api/v1/users/1", ""); rec.Code != 404 {
		t.Fatalf("GET after DELETE: status %d, want 404", rec.Code)
	}
	// The email is free again, and the id is not handed out twice.
	again := mustCreate(t, h, "Ada", "ada@example.com")
	if again.ID == 1 {
		t.Fatalf("a new user got the deleted user's id 1")
	}
}

func TestIdsAreNeverReused(t *testing.T) {
	h := newAPI()
	mustCreate(t, h, "Ada", "ada@example.com")
	second := mustCreate(t, h, "Grace", "grace@example.com")
	call(t, h, "DELETE", "/api/v1/users/2", "")
	third := mustCreate(t, h, "Linus", "linus@example.com")
	if third.ID <= second.ID {
		t.Fatalf("after deleting user %d the next user got id %d; ids must not be reused", second.ID, third.ID)
	}
}
