// Command users: the users REST API under /api/v1/users. Start here.
//
// Run it with `PORT=8080 go run .`; `course check users-api` builds it, starts it and
// tells you which stage to work on. Every route below answers 501 until you write it.
// Split the program into files as it grows (store.go, handlers.go ...): everything in
// this folder is package main and builds together.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"
	"time"
)

// User is one user as the API shows it: {"id":1,"name":"Ada Lovelace","email":"ada@example.com"}.
type User struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// TODO(list): a Store type that holds the users, safe for many goroutines at once:
// a sync.Mutex, a map[int]User and a nextID counter that only ever grows.
// Its methods (List, Create, Get, Update, Delete) take the lock themselves.

// writeJSON sends v as the body: header first, then status, then body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

// writeError sends the API's one error shape, {"error": "..."}.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// notImplemented is a placeholder: replace each call with the real thing.
func notImplemented(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotImplemented, "not implemented: "+what)
}

// users serves the collection, /api/v1/users.
func users(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		// TODO(list): 200 {"users": [...]}, ordered by id. An empty store is {"users": []},
		// not null: build the slice with make([]User, 0, n).
		notImplemented(w, "GET /api/v1/users (list the users)")
	case http.MethodPost:
		// TODO(create): decode {"name","email"}, validate (400), refuse a taken email
		// ignoring letter case (409), store it and answer 201 with the new user.
		notImplemented(w, "POST /api/v1/users (create a user)")
	default:
		// TODO(update-delete): 405 with an Allow header listing the methods that work here.
		notImplemented(w, r.Method+" /api/v1/users")
	}
}

// user serves one user, /api/v1/users/{id}.
func user(w http.ResponseWriter, r *http.Request) {
	idText := strings.TrimPrefix(r.URL.Path, "/api/v1/users/")
	// TODO(get): turn idText into a number: not a number is 400, "" or "7/posts" is 404.
	switch r.Method {
	case http.MethodGet:
		// TODO(get): 200 with the user, 404 when there is none.
		notImplemented(w, "GET /api/v1/users/"+idText+" (read a user)")
	case http.MethodPut:
		// TODO(update-delete): validate like a create, 404 unknown id, 409 another user's email.
		notImplemented(w, "PUT /api/v1/users/"+idText+" (update a user)")
	case http.MethodDelete:
		// TODO(update-delete): 204 with no body; the id is never handed out again.
		notImplemented(w, "DELETE /api/v1/users/"+idText+" (delete a user)")
	default:
		// TODO(update-delete): 405 with an Allow header: GET, PUT, DELETE.
		notImplemented(w, r.Method+" /api/v1/users/"+idText)
	}
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/users", users) // exactly this path
	mux.HandleFunc("/api/v1/users/", user) // this path and everything below it
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// TODO(get): an unknown path is 404 with a JSON error.
		notImplemented(w, r.Method+" "+r.URL.Path+" (unknown paths should be 404)")
	})

	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	log.Printf("listening on http://%s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
