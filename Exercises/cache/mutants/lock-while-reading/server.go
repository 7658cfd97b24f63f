package main

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"sync"
)

// commandLock lets one command at a time be read and run, "to be safe".
var commandLock sync.Mutex

// serve answers one client's commands in the order they came. Replies are collected in a
// buffered writer and flushed when no more commands are waiting to be read: a pipeline of
// 100 commands in one packet gets its 100 replies in one write, in order.
func serve(conn net.Conn, store *Store) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	for {
		if _, err := r.Peek(1); err != nil {
			return
		}
		commandLock.Lock()
		args, err := readCommand(r)
		if err != nil {
			commandLock.Unlock()
			var bad protocolError
			if errors.As(err, &bad) {
				w.Write(errorReply("ERR Protocol error: " + string(bad)))
				w.Flush()
			}
			return
		}
		if len(args) == 0 {
			commandLock.Unlock()
			continue // an empty inline line
		}
		w.Write(execute(store, args))
		w.Flush()
		commandLock.Unlock()
		if strings.EqualFold(args[0], "QUIT") {
			w.Flush()
			return
		}
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}
