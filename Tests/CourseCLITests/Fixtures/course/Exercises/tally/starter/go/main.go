// Tally: count each word with the counter service at $COUNTER_ADDR. Start here.
package main

import (
	"fmt"
	"os"
)

func main() {
	// TODO: net.Dial("tcp", os.Getenv("COUNTER_ADDR")), then for each line of standard input
	// send "INCR word\n", read the answer line and print "word answer".
	fmt.Fprintln(os.Stderr, "tally: not written yet: the counter service is at "+os.Getenv("COUNTER_ADDR"))
	os.Exit(1)
}
