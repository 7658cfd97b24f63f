package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(api *API, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	api.Routes().ServeHTTP(rec, req)
	return rec
}

func TestHappyPath(t *testing.T) {
	api := &API{store: NewStore()}
	if rec := do(api, "POST", "/api/v1/users", `{"name":"Ada","email":"ada@example.com"}`); rec.Code != 201 {
		t.Fatalf("create: %d", rec.Code)
	}
	rec := do(api, "GET", "/api/v1/users/1", "")
	var u User
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &u) != nil || u.Name != "Ada" {
		t.Fatalf("get: %d %s", rec.Code, rec.Body)
	}
	rec = do(api, "GET", "/api/v1/users", "")
	var list struct{ Users []User }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &list) != nil || len(list.Users) != 1 {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	if rec := do(api, "PUT", "/api/v1/users/1", `{"name":"Ada L.","email":"ada@example.com"}`); rec.Code != 200 {
		t.Fatalf("update: %d", rec.Code)
	}
	if rec := do(api, "DELETE", "/api/v1/users/1", ""); rec.Code != 204 {
		t.Fatalf("delete: %d", rec.Code)
	}
}
