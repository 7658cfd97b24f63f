// Mutant of echo-server: a lock file that outlives the process blocks every restart.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
)

func main() {
	if _, err := os.Stat("server.lock"); err == nil {
		fmt.Fprintln(os.Stderr, "echo-server: server.lock exists: another server is running")
		os.Exit(1)
	}
	if err := os.WriteFile("server.lock", []byte("locked\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "echo-server:", err)
		os.Exit(1)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo-server:", err)
		os.Exit(1)
	}
	fmt.Println("echo-server: listening on", listener.Addr())
	for {
		conn, err := listener.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo-server: accept:", err)
			continue
		}
		go serve(conn)
	}
}

// serve writes every line back until the client closes the connection.
func serve(conn net.Conn) {
	defer conn.Close()
	in := bufio.NewReader(conn)
	for {
		line, err := in.ReadString('\n')
		if len(line) > 0 {
			if _, werr := conn.Write([]byte(line)); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
