// Mutant of echo-lines: copies lines but keeps only ASCII bytes.
package main

import (
	"bufio"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		line, err := in.ReadString('\n')
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				line += "\n"
			}
			for i := 0; i < len(line); i++ {
				if line[i] < 0x80 {
					out.WriteByte(line[i])
				}
			}
		}
		if err != nil {
			break
		}
	}
}
