/// A markdown document as a Swift value tree, converted once from libcmark-gfm's AST.
///
/// Renderers and the roadmap parser walk this tree instead of the C nodes, so they are
/// plain Swift, testable, and never touch unmanaged memory. Every block keeps the source
/// line cmark reported, so errors can point at `file:line`.
public struct MarkdownDocument: Sendable, Equatable {
    public var blocks: [MarkdownBlock]

    public init(blocks: [MarkdownBlock]) {
        self.blocks = blocks
    }

    /// Parses CommonMark plus GitHub tables, strikethrough and autolinks.
    public init(parsing text: String) {
        self = CmarkBridge.parse(text)
    }
}

public struct MarkdownBlock: Sendable, Equatable {
    public var kind: Kind
    /// 1-based line in the source where the block starts.
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    public enum Kind: Sendable, Equatable {
        case heading(level: Int, content: [MarkdownInline])
        case paragraph([MarkdownInline])
        case blockQuote([MarkdownBlock])
        case list(MarkdownList)
        case codeBlock(info: String, code: String)
        case html(String)
        case thematicBreak
        case table(MarkdownTable)
    }
}

public struct MarkdownList: Sendable, Equatable {
    public var ordered: Bool
    public var start: Int
    public var tight: Bool
    public var items: [[MarkdownBlock]]
}

public struct MarkdownTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case none, left, center, right }
    public var alignments: [Alignment]
    public var header: [[MarkdownInline]]
    public var rows: [[[MarkdownInline]]]
}

public indirect enum MarkdownInline: Sendable, Equatable {
    case text(String)
    case code(String)
    case emphasis([MarkdownInline])
    case strong([MarkdownInline])
    case strikethrough([MarkdownInline])
    case link(destination: String, title: String, content: [MarkdownInline])
    case image(source: String, title: String, alt: [MarkdownInline])
    case html(String)
    case softBreak
    case lineBreak
    /// Not produced by the parser: text that a view adds to a document (progress marks),
    /// shown in a tone rather than as markdown.
    case annotation(String, Tone)

    public enum Tone: Sendable, Equatable { case success, next, muted, failure }

    /// The text a reader sees, without markup (used for headings, anchors and ids).
    public var plainText: String {
        switch self {
        case .text(let s), .code(let s): return s
        case .emphasis(let c), .strong(let c), .strikethrough(let c): return c.plainText
        case .link(_, _, let c), .image(_, _, let c): return c.plainText
        case .html: return ""
        case .annotation(let s, _): return s
        case .softBreak, .lineBreak: return " "
        }
    }
}

extension Array where Element == MarkdownInline {
    public var plainText: String { map(\.plainText).joined() }
}

extension MarkdownDocument {
    /// Every block in document order, descending into quotes and list items.
    public func allBlocks() -> [MarkdownBlock] {
        var out: [MarkdownBlock] = []
        func visit(_ blocks: [MarkdownBlock]) {
            for block in blocks {
                out.append(block)
                switch block.kind {
                case .blockQuote(let inner): visit(inner)
                case .list(let list): list.items.forEach(visit)
                default: break
                }
            }
        }
        visit(blocks)
        return out
    }

    /// GitHub-style anchors of every heading ("Common mistakes" → "common-mistakes"),
    /// with `-1`, `-2` suffixes for repeats, as GitHub and most viewers generate them.
    public func headingAnchors() -> [String] {
        var seen: [String: Int] = [:]
        var anchors: [String] = []
        for block in allBlocks() {
            guard case .heading(_, let content) = block.kind else { continue }
            let base = MarkdownDocument.slug(content.plainText)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            anchors.append(count == 0 ? base : "\(base)-\(count)")
        }
        return anchors
    }

    public static func slug(_ heading: String) -> String {
        var out = ""
        for ch in heading.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" {
                out.append(ch)
            } else if ch == " " {
                out.append("-")
            }
        }
        return out
    }
}
