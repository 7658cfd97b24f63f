package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

func routes(store *store, secret []byte) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/users", hello)
	mux.HandleFunc("/api/v1/users", func(w http.ResponseWriter, r *http.Request) { collection(store, w, r) })
	mux.HandleFunc("/api/v1/users/", func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/api/v1/users/")
		if rest == "" {
			collection(store, w, r)
			return
		}
		if strings.Contains(rest, "/") { // /api/v1/users/7/posts: a path the API does not have
			writeError(w, http.StatusNotFound, "nothing lives at "+r.URL.Path)
			return
		}
		one(store, rest, w, r)
	})
	mux.HandleFunc("/api/v1/profile", func(w http.ResponseWriter, r *http.Request) { profile(store, secret, w, r) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "nothing lives at "+r.URL.Path)
	})
	return mux
}

// hello serves hello-users' fixed list, with fields nobody asked for.
func hello(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		setLower(w, "allow", "HEAD", "GET")
		writeError(w, http.StatusMethodNotAllowed, "use GET")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"total": 2,
		"users": []map[string]any{
			{"email": "ada@example.com", "active": true, "name": "Ada Lovelace", "id": 1},
			{"email": "grace@example.com", "active": false, "name": "Grace Hopper", "id": 2},
		},
	})
}

func collection(store *store, w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"users": store.list()})
	case http.MethodPost:
		in, ok := readInput(w, r)
		if !ok {
			return
		}
		u, err := store.create(in)
		if err != nil {
			storeError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	default:
		setLower(w, "allow", "POST", "GET")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not served here")
	}
}

// one serves /api/v1/users/{id}. strconv.Atoi decides what an id is: "-1" and "0" are
// numbers that name no user (404); "99999999999999999999" is out of range, not an id (400).
func one(store *store, segment string, w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(segment)
	if err != nil {
		writeError(w, http.StatusBadRequest, strconv.Quote(segment)+" is not a user id")
		return
	}
	switch r.Method {
	case http.MethodGet:
		u, err := store.get(id)
		if err != nil {
			storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	case http.MethodPut:
		in, ok := readInput(w, r)
		if !ok {
			return
		}
		u, err := store.update(id, in)
		if err != nil {
			storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	case http.MethodDelete:
		if err := store.remove(id); err != nil {
			storeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		setLower(w, "allow", "get, put, delete, head, options")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not served here")
	}
}

func storeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errNoUser):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, errTaken):
		writeError(w, http.StatusConflict, err.Error())
	default:
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

// readInput reads the whole body and decodes it member by member, so that each problem
// gets its own message. When ok is false it has answered.
func readInput(w http.ResponseWriter, r *http.Request) (in input, ok bool) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "the body is too large")
		return in, false
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		writeError(w, http.StatusBadRequest, "the body must be one JSON object")
		return in, false
	}
	if json.Unmarshal(members["name"], &in.Name) != nil {
		writeError(w, http.StatusBadRequest, "name must be a string")
		return in, false
	}
	if json.Unmarshal(members["email"], &in.Email) != nil {
		writeError(w, http.StatusBadRequest, "email must be a string")
		return in, false
	}
	if problem := in.problem(); problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return in, false
	}
	return in, true
}

type input struct {
	Name  string
	Email string
}

func (in input) problem() string {
	if strings.TrimSpace(in.Name) == "" {
		return "name is required"
	}
	if utf8.RuneCountInString(in.Name) > 100 {
		return "name is longer than 100 characters"
	}
	address, err := mail.ParseAddress(in.Email)
	if err != nil || address.Address != in.Email {
		return "email is not an address"
	}
	if at := strings.LastIndex(in.Email, "@"); !strings.Contains(in.Email[at+1:], ".") {
		return "email needs a domain with a dot"
	}
	return ""
}
