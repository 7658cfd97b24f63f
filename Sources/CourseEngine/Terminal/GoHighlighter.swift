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
    /// Works on UTF-8 bytes: Go's syntax is ASCII, and a byte ≥ 0x80 can only be part of
    /// an identifier, a string or a comment, so slicing at ASCII bytes is always safe.
    public mutating func highlight(line: String) -> [StyledSpan] {
        var spans: [StyledSpan] = []
        let bytes = Array(line.utf8)
        let n = bytes.count
        var i = 0

        func emit(_ from: Int, _ to: Int, _ style: TextStyle) {
            guard to > from else { return }
            spans.append(StyledSpan(String(decoding: bytes[from..<to], as: UTF8.self), style: style))
        }
        func isIdentifierByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b >= 0x80
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        /// Index just past the closing "*/" from `from`, or nil when the comment goes on.
        func blockCommentEnd(from: Int) -> Int? {
            var k = from
            while k + 1 < n {
                if bytes[k] == 0x2A && bytes[k + 1] == 0x2F { return k + 2 }
                k += 1
            }
            return nil
        }
        func rawStringEnd(from: Int) -> Int? {
            var k = from
            while k < n {
                if bytes[k] == 0x60 { return k + 1 }
                k += 1
            }
            return nil
        }

        while i < n {
            switch state {
            case .blockComment:
                let end = blockCommentEnd(from: i)
                emit(i, end ?? n, Self.commentStyle)
                i = end ?? n
                if end != nil { state = .code }
            case .rawString:
                let end = rawStringEnd(from: i)
                emit(i, end ?? n, Self.stringStyle)
                i = end ?? n
                if end != nil { state = .code }
            case .code:
                let b = bytes[i]
                let start = i
                let next: UInt8 = i + 1 < n ? bytes[i + 1] : 0
                if b == 0x2F && next == 0x2F { // line comment
                    emit(i, n, Self.commentStyle)
                    i = n
                } else if b == 0x2F && next == 0x2A { // block comment
                    let end = blockCommentEnd(from: i + 2)
                    emit(start, end ?? n, Self.commentStyle)
                    i = end ?? n
                    if end == nil { state = .blockComment }
                } else if b == 0x60 { // raw string
                    let end = rawStringEnd(from: i + 1)
                    emit(start, end ?? n, Self.stringStyle)
                    i = end ?? n
                    if end == nil { state = .rawString }
                } else if b == 0x22 || b == 0x27 { // "string" or 'rune'
                    i += 1
                    while i < n, bytes[i] != b {
                        if bytes[i] == 0x5C { i += 1 }
                        i += 1
                    }
                    i = Swift.min(i + 1, n)
                    emit(start, i, Self.stringStyle)
                } else if isIdentifierByte(b) && !isDigit(b) {
                    while i < n, isIdentifierByte(bytes[i]) { i += 1 }
                    let word = String(decoding: bytes[start..<i], as: UTF8.self)
                    let selector = start > 0 && bytes[start - 1] == 0x2E
                    if !selector && Self.keywords.contains(word) {
                        emit(start, i, Self.keywordStyle)
                    } else if !selector && Self.predeclared.contains(word) {
                        emit(start, i, Self.predeclaredStyle)
                    } else {
                        emit(start, i, .plain)
                    }
                } else if isDigit(b) {
                    while i < n, isIdentifierByte(bytes[i]) || bytes[i] == 0x2E { i += 1 }
                    emit(start, i, Self.numberStyle)
                } else {
                    i += 1
                    while i < n, !isIdentifierByte(bytes[i]), ![0x22, 0x27, 0x60, 0x2F].contains(bytes[i]) { i += 1 }
                    emit(start, i, .plain)
                }
            }
        }
        return spans
    }
}
