/// Renders a markdown document for a terminal: wrapped to a width, ANSI-styled when the
/// capabilities allow, plain text with no escapes (and no markdown markers) otherwise.
///
/// Every line of prose, lists, quotes and tables fits in `width` columns. Code blocks are
/// the exception: code is never re-wrapped, so it stays copyable.
public struct TerminalRenderer: Sendable {
    public var width: Int
    public var capabilities: TerminalCapabilities
    /// Says what to show after a link's text, given its destination. `nil` shows the URL,
    /// an empty string nothing; a hint that begins with the link's own text and ": " is
    /// shown without them ("Title: lesson 2, course lesson x" after a link reading "Title").
    /// The course uses it to show `course lesson ID` for links between lessons.
    public var linkHint: @Sendable (String) -> String?
    /// The name the learner runs the course by (`./course`, or `course` on the PATH): code
    /// that runs it (`` `course check` ``, a shell block's `course watch` line) is shown with
    /// it, so what the page says to type works where the learner types it.
    public var command: String

    public init(width: Int, capabilities: TerminalCapabilities, command: String = "course",
                linkHint: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.width = Swift.max(width, 20)
        self.capabilities = capabilities
        self.command = command
        self.linkHint = linkHint
    }

    /// `code` with a leading `course` replaced by `command` (`$ course …` too).
    func namingCommand(_ code: String) -> String {
        guard command != "course" else { return code }
        for lead in ["course ", "$ course "] where code.hasPrefix(lead) {
            return String(lead.dropLast("course ".count)) + command + " " + String(code.dropFirst(lead.count))
        }
        return code == "course" ? command : code
    }

    static let headingStyles: [Int: TextStyle] = [
        1: TextStyle(bold: true, color: .brightCyan),
        2: TextStyle(bold: true, color: .cyan),
        3: TextStyle(bold: true, color: .blue),
    ]
    static let codeStyle = TextStyle(color: .yellow)
    static let linkStyle = TextStyle(underline: true, color: .brightBlue)
    static let urlStyle = TextStyle(dim: true)
    static let quoteStyle = TextStyle(italic: true)
    static let ruleStyle = TextStyle(dim: true)

    public func render(_ document: MarkdownDocument) -> String {
        renderBlocks(document.blocks, width: width).joined(separator: "\n") + "\n"
    }

    // MARK: Blocks

    func renderBlocks(_ blocks: [MarkdownBlock], width: Int, tight: Bool = false) -> [String] {
        var lines: [String] = []
        for block in blocks {
            let rendered = renderBlock(block, width: width)
            if rendered.isEmpty { continue }
            if !lines.isEmpty && !tight { lines.append("") }
            lines += rendered
        }
        return lines
    }

    func renderBlock(_ block: MarkdownBlock, width: Int) -> [String] {
        switch block.kind {
        case .heading(let level, let content):
            return heading(level: level, content: content, width: width)
        case .paragraph(let content):
            return wrap(spans(content, base: .plain), width: width)
        case .blockQuote(let inner):
            let bar = TextStyle(color: .gray).apply("│ ", enabled: capabilities.color)
            let innerRenderer = styledQuote()
            return innerRenderer.renderBlocks(inner, width: width - 2).map { $0.isEmpty ? TextStyle(color: .gray).apply("│", enabled: capabilities.color) : bar + $0 }
        case .list(let list):
            return renderList(list, width: width)
        case .codeBlock(let info, let code):
            return codeBlock(info: info, code: code)
        case .html:
            return []
        case .thematicBreak:
            return [Self.ruleStyle.apply(String(repeating: "─", count: width), enabled: capabilities.color)]
        case .table(let table):
            return TableLayout(renderer: self, table: table, width: width).lines()
        }
    }

    private func styledQuote() -> TerminalRenderer {
        var copy = self
        copy.quoteDepth += 1
        return copy
    }

    /// Quotes render their prose in italics; tracked so nested blocks inherit it.
    var quoteDepth = 0

    private func heading(level: Int, content: [MarkdownInline], width: Int) -> [String] {
        let style = Self.headingStyles[level] ?? TextStyle(bold: true)
        var lines = wrap(spans(content, base: style), width: width)
        if level <= 2 {
            let textWidth = lines.map(TextWidth.visible).max() ?? 0
            let rule = String(repeating: level == 1 ? "═" : "─", count: Swift.min(Swift.max(textWidth, 1), width))
            lines.append(TextStyle(dim: true, color: style.color).apply(rule, enabled: capabilities.color))
        }
        return lines
    }

    private func renderList(_ list: MarkdownList, width: Int) -> [String] {
        var lines: [String] = []
        let lastNumber = list.start + list.items.count - 1
        let markerWidth = list.ordered ? String(lastNumber).count + 2 : 2
        for (index, item) in list.items.enumerated() {
            let marker: String
            if list.ordered {
                let number = "\(list.start + index)."
                marker = String(repeating: " ", count: markerWidth - 1 - number.count) + number + " "
            } else {
                let bullets = ["•", "◦", "▪"]
                marker = bullets[listDepth % bullets.count] + " "
            }
            var nested = self
            nested.listDepth += 1
            let body = nested.renderBlocks(item, width: width - markerWidth, tight: list.tight)
            if !lines.isEmpty && !list.tight { lines.append("") }
            let styledMarker = TextStyle(bold: list.ordered, color: .cyan).apply(marker, enabled: capabilities.color)
            let indent = String(repeating: " ", count: markerWidth)
            for (n, line) in (body.isEmpty ? [""] : body).enumerated() {
                if n == 0 {
                    lines.append(styledMarker + line)
                } else {
                    lines.append(line.isEmpty ? "" : indent + line)
                }
            }
        }
        return lines
    }

    /// Lists nest their bullets: • then ◦ then ▪.
    var listDepth = 0

    private func codeBlock(info: String, code: String) -> [String] {
        let language = info.split(separator: " ").first.map(String.init)?.lowercased() ?? ""
        var source = code
        if source.hasSuffix("\n") { source.removeLast() }
        var rawLines = source.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map(Self.expandTabs)
        if ["", "sh", "bash", "shell", "console"].contains(language) { rawLines = rawLines.map(namingCommand) }
        var highlighter = GoHighlighter()
        let gutter = TextStyle(color: .gray).apply("│ ", enabled: capabilities.color)
        let plainGutter = "    "
        return rawLines.map { line in
            guard capabilities.color else { return line.isEmpty ? "" : plainGutter + line }
            if language == "go" {
                return gutter + encodeLine(highlighter.highlight(line: line), capabilities)
            }
            return gutter + Self.codeStyle.apply(line, enabled: true)
        }
    }

    /// A code line with tabs as four spaces (gofmt indents with tabs).
    static func expandTabs(_ line: Substring.UTF8View) -> String {
        guard line.contains(0x09) else { return String(Substring(line)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.count + 12)
        for byte in line {
            if byte == 0x09 { bytes += [0x20, 0x20, 0x20, 0x20] } else { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Inlines

    func wrap(_ spans: [StyledSpan], width: Int) -> [String] {
        LineWrapper(width: width).wrap(spans).map { encodeLine($0, capabilities) }
    }

    func spans(_ inlines: [MarkdownInline], base: TextStyle) -> [StyledSpan] {
        let base = quoteDepth > 0 ? base.merging(Self.quoteStyle) : base
        var out: [StyledSpan] = []
        appendSpans(inlines, style: base, link: nil, into: &out)
        return out
    }

    private func appendSpans(_ inlines: [MarkdownInline], style: TextStyle, link: String?, into out: inout [StyledSpan]) {
        for inline in inlines {
            switch inline {
            case .text(let text):
                out.append(StyledSpan(text, style: style, link: link))
            case .code(let code):
                let code = namingCommand(code)
                out.append(StyledSpan(code, style: style.merging(Self.codeStyle), link: link, keepTogether: code.count <= 24))
            case .emphasis(let inner):
                appendSpans(inner, style: style.merging(TextStyle(italic: true)), link: link, into: &out)
            case .strong(let inner):
                appendSpans(inner, style: style.merging(TextStyle(bold: true)), link: link, into: &out)
            case .strikethrough(let inner):
                appendSpans(inner, style: style.merging(TextStyle(strike: true)), link: link, into: &out)
            case .link(let destination, _, let content):
                appendSpans(content, style: style.merging(Self.linkStyle), link: destination, into: &out)
                let shown = content.plainText
                if var hint = linkHint(destination) {
                    if hint.isEmpty { continue }
                    // A hint that starts by naming what the link's text already says drops it.
                    if hint.hasPrefix(shown + ": ") { hint = String(hint.dropFirst(shown.count + 2)) }
                    out.append(StyledSpan(" (\(hint))", style: Self.urlStyle))
                } else if !destination.isEmpty && shown != destination && "mailto:" + shown != destination {
                    out.append(StyledSpan(" (\(destination))", style: Self.urlStyle))
                }
            case .image(let source, _, let alt):
                let label = alt.plainText.isEmpty ? "image" : "image: \(alt.plainText)"
                out.append(StyledSpan("[\(label)]", style: style.merging(TextStyle(dim: true)), link: source))
                out.append(StyledSpan(" (\(source))", style: Self.urlStyle))
            case .html:
                continue
            case .annotation(let text, let tone):
                let toneStyle: TextStyle
                switch tone {
                case .success: toneStyle = TextStyle(color: .green)
                case .next: toneStyle = TextStyle(bold: true, color: .yellow)
                case .muted: toneStyle = TextStyle(dim: true)
                case .failure: toneStyle = TextStyle(color: .red)
                }
                out.append(StyledSpan(text, style: toneStyle, keepTogether: true))
            case .softBreak:
                out.append(StyledSpan(" ", style: style))
            case .lineBreak:
                out.append(StyledSpan("\n", style: style))
            }
        }
    }
}
