// Tally: count each word with the counter service at $COUNTER_ADDR, on one connection.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	conn, err := net.Dial("tcp", "127.0.0.1:1")
	if err != nil {
		fmt.Fprintln(os.Stderr, "tally:", err)
		os.Exit(1)
	}
	defer conn.Close()
	replies := bufio.NewReader(conn)
	words := bufio.NewScanner(os.Stdin)
	for words.Scan() {
		word := strings.TrimSpace(words.Text())
		if word == "" {
			continue
		}
		if _, err := fmt.Fprintf(conn, "INCR %s\n", word); err != nil {
			fmt.Fprintln(os.Stderr, "tally:", err)
			os.Exit(1)
		}
		reply, err := replies.ReadString('\n')
		if err != nil {
			fmt.Fprintln(os.Stderr, "tally:", err)
			os.Exit(1)
		}
		fmt.Println(word, strings.TrimSpace(reply))
	}
}
