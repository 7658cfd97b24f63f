/// How a run of text looks on a colour terminal. Plain output ignores it entirely.
public struct TextStyle: Equatable, Hashable, Sendable {
    public enum Color: Int, Sendable {
        case red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36
        case gray = 90, brightBlue = 94, brightCyan = 96
    }

    public var bold = false
    public var italic = false
    public var underline = false
    public var dim = false
    public var strike = false
    public var color: Color? = nil

    public init(bold: Bool = false, italic: Bool = false, underline: Bool = false,
                dim: Bool = false, strike: Bool = false, color: Color? = nil) {
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.dim = dim
        self.strike = strike
        self.color = color
    }

    public static let plain = TextStyle()

    public var isPlain: Bool { self == .plain }

    /// The SGR sequence that switches this style on (empty for plain text).
    public var sgr: String {
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if italic { codes.append("3") }
        if underline { codes.append("4") }
        if strike { codes.append("9") }
        if let color { codes.append(String(color.rawValue)) }
        return codes.isEmpty ? "" : "\u{1B}[\(codes.joined(separator: ";"))m"
    }

    public static let reset = "\u{1B}[0m"

    public func merging(_ other: TextStyle) -> TextStyle {
        TextStyle(bold: bold || other.bold, italic: italic || other.italic,
                  underline: underline || other.underline, dim: dim || other.dim,
                  strike: strike || other.strike, color: other.color ?? color)
    }

    /// Wraps `text` in this style when `enabled`, else returns it unchanged.
    public func apply(_ text: String, enabled: Bool) -> String {
        guard enabled, !isPlain, !text.isEmpty else { return text }
        return sgr + text + TextStyle.reset
    }
}
