/// Colours Go source for the terminal, line by line. A small lexer, not a parser: it knows
/// keywords, predeclared identifiers, strings (interpreted, raw and rune), comments and
/// numbers, and carries raw strings and block comments across lines.
public struct GoHighlighter {
    public static let keywords: Set<String> = [
        "break", "case", "chan", "const", "continue", "default", "defer", "else",
        "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
        "package", "range", "return", "select", "struct", "switch", "type", "var",
    ]
    public static let predeclared: Set<String> = [
        "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int",
        "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16",
        "uint32", "uint64", "uintptr", "any", "comparable", "true", "false", "iota", "nil",
        "append", "cap", "close", "complex", "copy", "delete", "imag", "len", "make", "new",
        "panic", "print", "println", "real", "recover",
    ]

    static let keywordStyle = TextStyle(bold: true, color: .magenta)
    static let predeclaredStyle = TextStyle(color: .cyan)
    static let stringStyle = TextStyle(color: .green)
    static let commentStyle = TextStyle(italic: true, color: .gray)
    static let numberStyle = TextStyle(color: .yellow)

    private enum State { case code, blockComment, rawString }
    private var state: State = .code

    public init() {}

    /// Highlights one line (without its newline), remembering multi-line state.
    public mutating func highlight(line: String) -> [StyledSpan] {
        var spans: [StyledSpan] = []
        let chars = Array(line)
        var i = 0

        func emit(_ from: Int, _ to: Int, _ style: TextStyle) {
            guard to > from else { return }
            spans.append(StyledSpan(String(chars[from..<to]), style: style))
        }

        while i < chars.count {
            switch state {
            case .blockComment:
                let start = i
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { i += 1 }
                if i < chars.count { i += 2; state = .code }
                emit(start, i, Self.commentStyle)
            case .rawString:
                let start = i
                while i < chars.count, chars[i] != "`" { i += 1 }
                if i < chars.count { i += 1; state = .code }
                emit(start, i, Self.stringStyle)
            case .code:
                let c = chars[i]
                let start = i
                if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
                    emit(i, chars.count, Self.commentStyle)
                    i = chars.count
                } else if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
                    i += 2
                    state = .blockComment
                    let bodyStart = i
                    while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { i += 1 }
                    if i < chars.count { i += 2; state = .code }
                    _ = bodyStart
                    emit(start, i, Self.commentStyle)
                } else if c == "`" {
                    i += 1
                    state = .rawString
                    while i < chars.count, chars[i] != "`" { i += 1 }
                    if i < chars.count { i += 1; state = .code }
                    emit(start, i, Self.stringStyle)
                } else if c == "\"" || c == "'" {
                    i += 1
                    while i < chars.count, chars[i] != c {
                        if chars[i] == "\\" { i += 1 }
                        i += 1
                    }
                    i = Swift.min(i + 1, chars.count)
                    emit(start, i, Self.stringStyle)
                } else if c.isLetter || c == "_" {
                    while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                    let word = String(chars[start..<i])
                    let previousIsDot = start > 0 && chars[start - 1] == "."
                    if !previousIsDot && Self.keywords.contains(word) {
                        emit(start, i, Self.keywordStyle)
                    } else if !previousIsDot && Self.predeclared.contains(word) {
                        emit(start, i, Self.predeclaredStyle)
                    } else {
                        emit(start, i, .plain)
                    }
                } else if c.isNumber {
                    while i < chars.count, chars[i].isHexDigit || "xXoObB_.eEpP".contains(chars[i]) { i += 1 }
                    emit(start, i, Self.numberStyle)
                } else {
                    while i < chars.count, !(chars[i].isLetter || chars[i].isNumber || "_\"'`/".contains(chars[i])) { i += 1 }
                    if i == start { i += 1 }
                    emit(start, i, .plain)
                }
            }
        }
        return spans
    }
}
