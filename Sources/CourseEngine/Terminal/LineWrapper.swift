/// Greedy word wrapping of styled spans to a column width, measuring display width
/// (wide characters count two). Words wider than the line are split.
struct LineWrapper {
    let width: Int

    private enum Token {
        case word([StyledSpan], width: Int)
        /// A space remembers its span's look, so `**strong text**` stays one styled run
        /// and an underlined link has no gaps.
        case space(TextStyle, link: String?)
        case newline
    }

    /// Returns lines of spans; every line's display width is at most `width`.
    func wrap(_ spans: [StyledSpan]) -> [[StyledSpan]] {
        let tokens = tokenize(spans)
        var lines: [[StyledSpan]] = []
        var current: [StyledSpan] = []
        var currentWidth = 0
        var pendingSpace = false
        var spaceLook: (TextStyle, String?) = (.plain, nil)

        func flush() {
            lines.append(current)
            current = []
            currentWidth = 0
            pendingSpace = false
        }

        for token in tokens {
            switch token {
            case .newline:
                flush()
            case .space(let style, let link):
                if currentWidth > 0 {
                    pendingSpace = true
                    spaceLook = (style, link)
                }
            case .word(let pieces, let wordWidth):
                let needed = wordWidth + (pendingSpace ? 1 : 0)
                if currentWidth > 0 && currentWidth + needed > width {
                    flush()
                }
                if pendingSpace && currentWidth > 0 {
                    // Keep the look only between words that share it.
                    let continues = pieces.first.map { $0.style == spaceLook.0 && $0.link == spaceLook.1 } ?? false
                    current.append(continues ? StyledSpan(" ", style: spaceLook.0, link: spaceLook.1) : StyledSpan(" "))
                    currentWidth += 1
                }
                pendingSpace = false
                if wordWidth <= width - currentWidth {
                    current += pieces
                    currentWidth += wordWidth
                } else {
                    // Longer than a whole line: split by characters.
                    for piece in pieces {
                        var chunk = ""
                        for ch in piece.text {
                            let w = TextWidth.of(ch)
                            if currentWidth + w > width && currentWidth > 0 {
                                if !chunk.isEmpty { current.append(StyledSpan(chunk, style: piece.style, link: piece.link)) }
                                chunk = ""
                                flush()
                            }
                            chunk.append(ch)
                            currentWidth += w
                        }
                        if !chunk.isEmpty { current.append(StyledSpan(chunk, style: piece.style, link: piece.link)) }
                    }
                }
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    private func tokenize(_ spans: [StyledSpan]) -> [Token] {
        var tokens: [Token] = []
        var word: [StyledSpan] = []
        var wordWidth = 0

        func endWord() {
            if !word.isEmpty { tokens.append(.word(word, width: wordWidth)) }
            word = []
            wordWidth = 0
        }

        for span in spans {
            if span.keepTogether && TextWidth.of(span.text) <= width {
                word.append(span)
                wordWidth += TextWidth.of(span.text)
                continue
            }
            // Split at ASCII whitespace on the UTF-8 view: those bytes are always
            // character boundaries, and this avoids grapheme iteration.
            let text = span.text
            var chunkStart = text.startIndex
            var index = text.startIndex
            let utf8 = text.utf8
            func takeChunk(upTo end: String.Index) {
                guard chunkStart < end else { return }
                let chunk = String(text[chunkStart..<end])
                word.append(StyledSpan(chunk, style: span.style, link: span.link))
                wordWidth += TextWidth.of(chunk)
            }
            while index < utf8.endIndex {
                let byte = utf8[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x09 {
                    takeChunk(upTo: index)
                    endWord()
                    tokens.append(byte == 0x0A ? .newline : .space(span.style, link: span.link))
                    index = utf8.index(after: index)
                    chunkStart = index
                } else {
                    index = utf8.index(after: index)
                }
            }
            takeChunk(upTo: utf8.endIndex)
        }
        endWord()
        return tokens
    }
}
