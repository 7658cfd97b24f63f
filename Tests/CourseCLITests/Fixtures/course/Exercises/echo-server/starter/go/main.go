// Echo server: answer every line a client sends with the same line. Start here.
package main

import (
	"fmt"
	"os"
)

func main() {
	// TODO: listen with net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT")), accept connections
	// in a loop, and serve each one in its own goroutine, writing every line back.
	fmt.Fprintln(os.Stderr, "echo-server: not written yet: listen on 127.0.0.1:"+os.Getenv("PORT"))
	os.Exit(1)
}
