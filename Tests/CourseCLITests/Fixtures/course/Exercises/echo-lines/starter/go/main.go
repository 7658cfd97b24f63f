// Echo lines: read standard input and print every line back. Start here.
package main

import (
	"fmt"
	"os"
)

func main() {
	// TODO: read os.Stdin line by line (bufio.Scanner or bufio.Reader) and print each line.
	fmt.Fprintln(os.Stderr, "echo-lines: not written yet")
}
