// Command hello-users is the smallest users server: GET /users answers a fixed JSON list.
//
//	PORT=8080 go run .
//	curl -i http://127.0.0.1:8080/users
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

// User has JSON tags so the encoder writes "id", "name" and "email" in lower case.
type User struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// usersResponse is the shape of the whole body: {"users": [...]}.
type usersResponse struct {
	Users []User `json:"users"`
}

var users = []User{
	{ID: 1, Name: "Ada Lovelace", Email: "ada@example.com"},
	{ID: 2, Name: "Grace Hopper", Email: "grace@example.com"},
}

// writeJSON sets the header first, then the status, then writes the body. Headers set
// after WriteHeader are silently ignored, so the order matters.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// http.ResponseWriter is an io.Writer, so the encoder writes straight to the client.
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err)
	}
}

// writeError sends {"error": message}, the one shape every error has.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// listUsers serves /users. The mux matches the path only, so the method is checked here.
func listUsers(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on /users, only GET")
		return
	}
	writeJSON(w, http.StatusOK, usersResponse{Users: users})
}

// notFound answers every path nobody registered. The pattern "/" matches everything
// that no longer pattern matches; without it the mux would send a plain-text 404.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no route for "+r.URL.Path)
}

func main() {
	port := os.Getenv("PORT") // the checker tells you where to listen
	if port == "" {
		port = "8080"
	}

	http.HandleFunc("/users", listUsers)
	http.HandleFunc("/", notFound)

	addr := "127.0.0.1:" + port
	log.Printf("listening on http://%s", addr)
	log.Fatal(http.ListenAndServe(addr, nil)) // only returns on error, e.g. port in use
}
