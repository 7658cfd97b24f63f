package main

import (
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"
)

const usersPath = "/api/v1/users"

// API holds what the handlers share.
type API struct {
	store *Store
}

// Routes maps paths to handlers. ServeMux in Go 1.19 matches paths only, so each handler
// switches on the method itself and answers 405 with an Allow header for the rest.
func (a *API) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(usersPath, a.users)    // exactly /api/v1/users
	mux.HandleFunc(usersPath+"/", a.user) // /api/v1/users/ and everything below it
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no route for "+r.URL.Path)
	})
	return mux
}

// users serves the collection, /api/v1/users.
func (a *API) users(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, map[string][]User{"users": a.store.List()})
	case http.MethodPost:
		in, ok := decodeUser(w, r)
		if !ok {
			return
		}
		u, err := a.store.Create(in)
		if err != nil {
			a.storeError(w, err)
			return
		}
		w.Header().Set("Location", usersPath+"/"+strconv.Itoa(u.ID))
		writeJSON(w, http.StatusCreated, u)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+usersPath)
	}
}

// user serves one user, /api/v1/users/{id}.
func (a *API) user(w http.ResponseWriter, r *http.Request) {
	id, found, err := parseID(strings.TrimPrefix(r.URL.Path, usersPath+"/"))
	if !found {
		writeError(w, http.StatusNotFound, "no route for "+r.URL.Path)
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	switch r.Method {
	case http.MethodGet:
		u, err := a.store.Get(id)
		if err != nil {
			a.storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	case http.MethodPut:
		in, ok := decodeUser(w, r)
		if !ok {
			return
		}
		u, err := a.store.Update(id, in)
		if err != nil {
			a.storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	case http.MethodDelete:
		if err := a.store.Delete(id); err != nil {
			a.storeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent) // 204 has no body, so no Content-Type either
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
	}
}

// parseID reads the {id} segment. found is false when there is no single segment to read
// ("" or "7/posts"): that path has no route, a 404. A segment that is not a number is the
// client's mistake, a 400. A number too large for an int names no user, so it is not an
// error here: the store answers 404.
func parseID(segment string) (id int, found bool, err error) {
	if segment == "" || strings.Contains(segment, "/") {
		return 0, false, nil
	}
	for _, c := range segment {
		if c < '0' || c > '9' {
			return 0, true, errors.New("user id must be a number, got " + strconv.Quote(segment))
		}
	}
	id, err = strconv.Atoi(segment)
	if err != nil {
		return -1, true, nil // all digits but out of range: no such user
	}
	return id, true, nil
}

// storeError turns the store's errors into status codes. The store knows nothing about
// HTTP, which keeps it easy to test and to replace with a database.
func (a *API) storeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, errDuplicate):
		writeError(w, http.StatusConflict, err.Error())
	default:
		log.Printf("store: %v", err) // the details are for the log, not the client
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}
