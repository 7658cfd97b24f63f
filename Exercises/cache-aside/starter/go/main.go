// Command users: the users API with its reads cached in the cache at $CACHE_ADDR. Start here.
//
// Begin with your users-api program: copy its files into this folder in place of the
// 501 placeholders below (or write them again). Then put the cache in front of the store
// for GET /api/v1/users/{id}: ask the cache first, and on a miss read the store and keep a
// copy with a TTL; after an update or a delete, delete the copy. The cache is a Redis
// server: `go get github.com/gomodule/redigo/redis` (served offline by the course) gives
// you a client. Run it with `course serve cache --port 6380` in one terminal and
// `CACHE_ADDR=127.0.0.1:6380 PORT=8080 go run .` in another.
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

// TODO(create): a Store type as in users-api: a sync.Mutex, the users and a nextID
// counter that only ever grows, with List, Create, Get, Update and Delete.
// TODO(aside-hits): a redis.Pool dialling os.Getenv("CACHE_ADDR") with short timeouts
// (redis.DialConnectTimeout, DialReadTimeout, DialWriteTimeout). GET /api/v1/users/{id}
// asks the cache (GET user:ID) first; on a miss it reads the store and SETs the user's JSON.
// TODO(aside-invalidate): after a PUT or DELETE has changed the store, DEL the user's key.
// TODO(aside-race): the order matters: store first, then DEL.
// TODO(aside-ttl): every SET gets a TTL (EX 60), at most an hour.
// TODO(aside-down): a cache error is logged and treated as a miss: never a failed request.

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
	writeError(w, http.StatusNotImplemented, "not implemented: "+what+"; start from your users-api program")
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
		// TODO: 405 with an Allow header listing the methods that work here.
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
		notImplemented(w, r.Method+" /api/v1/users/"+idText)
	}
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	cacheAddr := os.Getenv("CACHE_ADDR")
	if cacheAddr == "" {
		cacheAddr = "127.0.0.1:6380"
	}
	log.Printf("TODO(aside-hits): cache users in %s", cacheAddr)

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
