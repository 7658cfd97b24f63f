package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// protocolError is a client that does not speak RESP; it gets an error and is disconnected.
type protocolError string

func (e protocolError) Error() string { return string(e) }

// Redis's own limits: a command of at most 1024*1024 arguments, each at most 512 MB.
const (
	maxArguments  = 1024 * 1024
	maxBulkLength = 512 * 1024 * 1024
)

// readCommand reads one command: an array of bulk strings, as every client library sends
// (*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n), or an inline line of words, as typed into telnet.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "*") {
		return strings.Fields(line), nil
	}
	n, err := strconv.Atoi(line[1:])
	if err != nil || n > maxArguments {
		return nil, protocolError("invalid multibulk length")
	}
	if n <= 0 {
		return []string{}, nil // *0 and *-1 are no command at all
	}
	args := make([]string, 0, n)
	for i := 0; i < n; i++ {
		header, err := readLine(r)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(header, "$") {
			return nil, protocolError("expected '$', got " + strconv.Quote(header))
		}
		size, err := strconv.Atoi(header[1:])
		if err != nil || size < 0 || size > maxBulkLength {
			return nil, protocolError("invalid bulk length")
		}
		payload, err := readLine(r)
		if err != nil {
			return nil, err
		}
		args = append(args, payload)
	}
	return args, nil
}

// readLine reads up to \n and returns the line without its \r\n (or \n).
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if err == io.EOF && line != "" {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// Replies, encoded as RESP2.

func simpleReply(s string) []byte { return []byte("+" + s + "\r\n") }

func errorReply(message string) []byte { return []byte("-" + message + "\r\n") }

func integerReply(n int64) []byte { return []byte(":" + strconv.FormatInt(n, 10) + "\r\n") }

func bulkReply(s string) []byte {
	return []byte("$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n")
}

// nullReply is what GET answers for a missing key: the null bulk string, which clients
// turn into nil (redis-cli prints "(nil)"). An empty string, $0\r\n\r\n, is a different thing.
var nullReply = []byte("$-1\r\n")

// commandBytes encodes a command the way clients send it; the append-only log holds these.
func commandBytes(args ...string) []byte {
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, arg := range args {
		b.WriteString("$" + strconv.Itoa(len(arg)) + "\r\n" + arg + "\r\n")
	}
	return []byte(b.String())
}
