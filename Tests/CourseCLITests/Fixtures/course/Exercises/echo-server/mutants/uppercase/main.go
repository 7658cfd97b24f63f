// Mutant: answers every line in upper case.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
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
			if _, werr := conn.Write([]byte(strings.ToUpper(line))); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
