// Mutant: stops at the first empty line.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		line, err := in.ReadString('\n')
		if line == "\n" {
			break
		}
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				line += "\n"
			}
			out.WriteString(line)
		}
		if err != nil {
			break
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "echo-lines:", err)
		os.Exit(1)
	}
}
