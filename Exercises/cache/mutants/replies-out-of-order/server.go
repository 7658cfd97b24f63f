package main

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"sync"
)

// serve answers one client's commands in the order they came. Replies are collected in a
// buffered writer and flushed when no more commands are waiting to be read: a pipeline of
// 100 commands in one packet gets its 100 replies in one write, in order.
func serve(conn net.Conn, store *Store) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	var writing sync.Mutex
	for {
		args, err := readCommand(r)
		if err != nil {
			var bad protocolError
			if errors.As(err, &bad) {
				w.Write(errorReply("ERR Protocol error: " + string(bad)))
				w.Flush()
			}
			return
		}
		if len(args) == 0 {
			continue // an empty inline line
		}
		if strings.EqualFold(args[0], "QUIT") {
			w.Write(execute(store, args))
			w.Flush()
			return
		}
		// Commands run at once, each in its own goroutine.
		go func(args []string) {
			reply := execute(store, args)
			writing.Lock()
			w.Write(reply)
			w.Flush()
			writing.Unlock()
		}(args)
	}
}
