package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	words := bufio.NewScanner(os.Stdin)
	for words.Scan() {
		word := strings.TrimSpace(words.Text())
		if word == "" {
			continue
		}
		conn, err := net.Dial("tcp", os.Getenv("COUNTER_ADDR"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "tally:", err)
			os.Exit(1)
		}
		fmt.Fprintf(conn, "INCR %s\n", word)
		reply, _ := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		fmt.Println(word, strings.TrimSpace(reply))
	}
}
