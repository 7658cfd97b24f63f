/// A run of text with one style and, optionally, the URL it links to.
public struct StyledSpan: Equatable, Sendable {
    public var text: String
    public var style: TextStyle
    public var link: String?
    /// Spans that must not be broken at their spaces (inline code) unless they are wider
    /// than the whole line.
    public var keepTogether: Bool

    public init(_ text: String, style: TextStyle = .plain, link: String? = nil, keepTogether: Bool = false) {
        self.text = text
        self.style = style
        self.link = link
        self.keepTogether = keepTogether
    }
}

/// What escapes a renderer may write.
public struct TerminalCapabilities: Equatable, Sendable {
    public var color: Bool
    public var hyperlinks: Bool

    public init(color: Bool, hyperlinks: Bool) {
        self.color = color
        self.hyperlinks = hyperlinks && color
    }

    public static let plain = TerminalCapabilities(color: false, hyperlinks: false)
    public static let ansi = TerminalCapabilities(color: true, hyperlinks: false)
}

/// Serializes spans to one terminal line, closing every style and link at the end of the
/// line so each line stands alone (pagers and wrapping never leak a colour).
func encodeLine(_ spans: [StyledSpan], _ caps: TerminalCapabilities) -> String {
    var out = ""
    var index = 0
    while index < spans.count {
        // Merge neighbours that look the same.
        var span = spans[index]
        index += 1
        while index < spans.count, spans[index].style == span.style, spans[index].link == span.link {
            span.text += spans[index].text
            index += 1
        }
        var piece = span.style.apply(span.text, enabled: caps.color)
        if caps.hyperlinks, let url = span.link, !span.text.isEmpty {
            piece = "\u{1B}]8;;\(url)\u{1B}\\" + piece + "\u{1B}]8;;\u{1B}\\"
        }
        out += piece
    }
    return out
}
