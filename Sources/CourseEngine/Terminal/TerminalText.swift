/// Fitting lines of command output (not markdown: the check log, the watch header) to a
/// terminal's width. The terminal would otherwise break them at the last column, mid-word
/// (`(0/20 po` / `ints)`); here they break between words, continuation lines keep the
/// line's indent, and ANSI styles count as no width.
public enum TerminalText {
    /// `line` wrapped to `width` columns at spaces. Continuation lines start with
    /// `continuation`, by default the line's own leading spaces. A word longer than a line
    /// is split where the line ends. Text with newlines is wrapped line by line.
    public static func wrap(_ text: String, width: Int, continuation: String? = nil) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width, continuation: continuation) }
            .joined(separator: "\n")
    }

    /// `line` cut to `width` columns, ending in `…` when something was cut.
    public static func fit(_ line: String, width: Int) -> String {
        guard TextWidth.visible(line) > width else { return line }
        var out = ""
        var used = 0
        for piece in pieces(of: line) {
            if piece.width == 0 {
                out += piece.text
                continue
            }
            if used + piece.width > width - 1 { break }
            out += piece.text
            used += piece.width
        }
        return out + "…" + (line.contains("\u{1B}[") ? "\u{1B}[0m" : "")
    }

    private static func wrapLine(_ line: String, width: Int, continuation: String?) -> String {
        guard TextWidth.visible(line) > width else { return line }
        let indent = continuation ?? String(line.prefix { $0 == " " })
        // Too narrow to indent sensibly: continue at the left edge.
        let prefix = width - TextWidth.visible(indent) < 20 ? "" : indent
        let prefixWidth = TextWidth.visible(prefix)

        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        var hasWord = false
        var spaces = 0
        var word: [(text: String, width: Int)] = []

        func newLine() {
            lines.append(current)
            current = prefix
            currentWidth = prefixWidth
            hasWord = false
        }

        func placeWord() {
            let wordWidth = word.reduce(0) { $0 + $1.width }
            if hasWord && currentWidth + spaces + wordWidth > width {
                newLine()
            } else {
                current += String(repeating: " ", count: spaces)
                currentWidth += spaces
            }
            spaces = 0
            if currentWidth + wordWidth <= width {
                current += word.map(\.text).joined()
                currentWidth += wordWidth
            } else {
                // Longer than a whole line: split where lines end.
                for piece in word {
                    if piece.width > 0 && currentWidth + piece.width > width && currentWidth > prefixWidth {
                        newLine()
                    }
                    current += piece.text
                    currentWidth += piece.width
                }
            }
            hasWord = true
            word = []
        }

        for piece in pieces(of: line) {
            if piece.text == " " {
                if !word.isEmpty { placeWord() }
                spaces += 1
            } else {
                word.append(piece)
            }
        }
        if !word.isEmpty { placeWord() }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// The line as characters with their widths; an ANSI escape sequence is one piece of
    /// width 0.
    private static func pieces(of line: String) -> [(text: String, width: Int)] {
        var out: [(String, Int)] = []
        var escape: String?
        for character in line {
            if var sequence = escape {
                sequence.append(character)
                if sequence.count >= 2, let scalar = character.unicodeScalars.first, scalar.value >= 0x40 && scalar.value <= 0x7E,
                   !(sequence.count == 2 && character == "[") {
                    out.append((sequence, 0))
                    escape = nil
                } else {
                    escape = sequence
                }
                continue
            }
            if character == "\u{1B}" {
                escape = "\u{1B}"
                continue
            }
            out.append((String(character), TextWidth.of(character)))
        }
        if let escape { out.append((escape, 0)) }
        return out
    }
}
