package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	counts := map[string]int{}
	words := bufio.NewScanner(os.Stdin)
	for words.Scan() {
		word := strings.TrimSpace(words.Text())
		if word == "" {
			continue
		}
		counts[word]++
		fmt.Println(word, counts[word])
	}
}
