// Command users serves the course's users REST API from memory on 127.0.0.1:$PORT, with
// reads of single users cached in the Redis-protocol cache at $CACHE_ADDR (cache-aside).
//
//	course serve cache --port 6380 &
//	CACHE_ADDR=127.0.0.1:6380 PORT=8080 go run .
//	curl -X POST -d '{"name":"Ada Lovelace","email":"ada@example.com"}' 127.0.0.1:8080/api/v1/users
package main

import (
	"log"
	"math/rand"
	"net/http"
	"os"
	"time"
)

func main() {
	rand.Seed(time.Now().UnixNano()) // Go 1.19 does not seed math/rand itself
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	api := &API{store: NewStore()}
	if addr := os.Getenv("CACHE_ADDR"); addr != "" {
		api.cache = NewCache(addr, time.Minute)
		log.Printf("caching users in %s", addr)
	} else {
		log.Printf("CACHE_ADDR is not set: reading every user from the store")
	}
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
