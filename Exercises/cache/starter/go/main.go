// Command cache: a Redis-compatible cache server. Start here.
//
// Run it with `PORT=8080 go run .` and talk to it with `redis-cli -p 8080 PING`;
// `course check cache` builds it, starts it and tells you which stage to work on. Split
// the program into files as it grows (resp.go, store.go, commands.go ...): everything in
// this folder is package main and builds together.
package main

import (
	"bufio"
	"log"
	"net"
	"os"
	"strings"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "6379"
	}
	// TODO(eviction): MAX_KEYS bounds the number of keys.
	// TODO(durability): DATA_DIR is the folder of the append-only log.

	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("cache listening on %s", ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		// TODO(clients): while this serves one connection, no other is accepted.
		serve(conn)
	}
}

// serve answers one client's commands until it disconnects.
func serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		// TODO(ping): clients send each command as a RESP array of bulk strings,
		// *1\r\n$4\r\nPING\r\n for PING. This reads lines of words instead, so it takes
		// "*1", "$4" and "PING" for three commands. Write readCommand(r) ([]string, error):
		// the lesson's "RESP in brief" section shows one.
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		args := strings.Fields(line)
		if len(args) == 0 {
			continue
		}
		conn.Write(execute(args))
	}
}

// execute runs one command and returns its reply in RESP.
func execute(args []string) []byte {
	switch strings.ToUpper(args[0]) {
	// TODO(ping): PING answers the simple string +PONG\r\n.
	// TODO(echo): ECHO message answers the message as a bulk string, $5\r\nhello\r\n.
	// TODO(set-get): SET key value [NX|XX], GET key (nil is $-1\r\n).
	// TODO(expiry): SET ... EX seconds | PX milliseconds, EXPIRE, TTL, PTTL.
	// TODO(keys): DEL, EXISTS, INCR, and an error for wrong arguments.
	// TODO(info): INFO with keyspace_hits and keyspace_misses.
	default:
		return []byte("-ERR unknown command '" + args[0] + "'\r\n")
	}
}
