// Command users serves the users REST API with an HS256-JWT-protected profile on
// 127.0.0.1:$PORT. Tokens are signed with $JWT_SECRET.
//
//	JWT_SECRET=dev-secret PORT=8080 go run .
package main

import (
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	// Without a secret no token can be checked: refuse to start rather than accept
	// tokens signed with an empty key.
	secret := os.Getenv("JWT_SECRET")
	if secret == "" {
		log.Fatal("JWT_SECRET is not set: it is the key that signs and verifies tokens")
	}

	api := &API{store: NewStore(), secret: []byte(secret)}
	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           api.Routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	log.Printf("users API listening on http://%s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
