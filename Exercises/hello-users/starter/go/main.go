// Command hello-users: the smallest users server. Start here.
//
// Run it with `PORT=8080 go run .` and try `curl -i http://127.0.0.1:8080/users`.
// `course check hello-users` builds it, starts it and tells you what to do next.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

// TODO(hello-json): declare a User struct with ID, Name and Email fields, and JSON tags
// so they are written as "id", "name" and "email".

// writeJSON sends v as a JSON body with the right Content-Type. It already works: use it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

// notImplemented answers 501 with a JSON error that says what is still missing.
func notImplemented(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusNotImplemented, map[string]string{"error": "not implemented: " + what})
}

// listUsers serves /users.
func listUsers(w http.ResponseWriter, r *http.Request) {
	// TODO(hello-listen): answer GET /users with status 200.
	// TODO(hello-json): the body is {"users": [...]} with Ada Lovelace and Grace Hopper.
	// TODO(hello-routes): any other method gets 405, an "Allow: GET" header and a JSON error.
	notImplemented(w, r.Method+" /users (list the two users)")
}

// everythingElse gets every path that has no handler of its own.
func everythingElse(w http.ResponseWriter, r *http.Request) {
	// TODO(hello-routes): an unknown path is 404 with {"error": "..."}.
	notImplemented(w, r.Method+" "+r.URL.Path+" (unknown paths should be 404)")
}

func main() {
	port := os.Getenv("PORT") // the checker chooses the port; 8080 when you run it yourself
	if port == "" {
		port = "8080"
	}

	http.HandleFunc("/users", listUsers)
	http.HandleFunc("/", everythingElse) // "/" matches every path nobody else registered

	addr := "127.0.0.1:" + port
	log.Printf("listening on http://%s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
