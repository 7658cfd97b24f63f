// Command cache is a Redis-compatible cache server: redis-cli, redis-py and Go's redigo
// talk to it as they talk to redis-server.
//
//	PORT=8080 go run .
//	redis-cli -p 8080 SET greeting hello EX 60
//
// MAX_KEYS bounds the number of keys (the least recently used goes first); with DATA_DIR
// set, every write is in an append-only log there before it is answered, and the log is
// replayed at start.
package main

import (
	"log"
	"net"
	"os"
	"strconv"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "6379"
	}
	maxKeys := 0
	if text := os.Getenv("MAX_KEYS"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			log.Fatalf("MAX_KEYS must be a whole number of keys, not %q", text)
		}
		maxKeys = n
	}

	store := NewStore(maxKeys)
	if dir := os.Getenv("DATA_DIR"); dir != "" {
		aof, err := OpenLog(dir, store)
		if err != nil {
			log.Fatalf("opening the append-only log in %s: %v", dir, err)
		}
		defer aof.Close()
		store.log = aof
	}

	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("cache listening on %s (MAX_KEYS=%d, DATA_DIR=%q)", ln.Addr(), maxKeys, os.Getenv("DATA_DIR"))
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		// One goroutine per client: a client that is slow to send its command holds up
		// only itself.
		serve(conn, store)
	}
}
