// Mutant: answers only the first line of each connection.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
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

// serve answers the first line, then reads the rest without answering.
func serve(conn net.Conn) {
	defer conn.Close()
	in := bufio.NewReader(conn)
	answered := false
	for {
		line, err := in.ReadString('\n')
		if len(line) > 0 && !answered {
			answered = true
			if _, werr := conn.Write([]byte(line)); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
