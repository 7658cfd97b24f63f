// Command users serves the course's users REST API from memory on 127.0.0.1:$PORT.
//
//	PORT=8080 go run .
//	curl -X POST -d '{"name":"Ada Lovelace","email":"ada@example.com"}' 127.0.0.1:8080/api/v1/users
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

	api := &API{store: NewStore()}
	srv := &http.Server{
		Addr:    "127.0.0.1:" + port,
		Handler: api.Routes(),
		// Never run a server without timeouts: a client that sends one byte a minute
		// would hold a goroutine and a connection forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	log.Printf("users API listening on http://%s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
