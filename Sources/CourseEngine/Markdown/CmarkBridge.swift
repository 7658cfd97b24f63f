import CCmark
#if canImport(Glibc)
import Glibc
#endif

/// The only code that touches libcmark-gfm: parse, then copy the C tree into Swift values.
enum CmarkBridge {
    /// Extensions are registered once per process; cmark-gfm's registry is global.
    private static let registered: Void = {
        cmark_gfm_core_extensions_ensure_registered()
    }()

    static let extensionNames = ["table", "strikethrough", "autolink"]

    static func parse(_ text: String) -> MarkdownDocument {
        _ = registered
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES)!
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        return MarkdownDocument(blocks: blocks(under: root))
    }

    /// HTML through cmark's own renderer (safe mode: raw HTML is omitted).
    static func html(_ text: String) -> String {
        _ = registered
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT)!
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parser_feed(parser, $0, buffer.count)
                }
            }
        }
        let root = cmark_parser_finish(parser)!
        defer { cmark_node_free(root) }
        guard let rendered = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    private static func children(of node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            out.append(c)
            child = cmark_node_next(c)
        }
        return out
    }

    private static func typeString(_ node: OpaquePointer) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    private static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private static func blocks(under node: OpaquePointer) -> [MarkdownBlock] {
        children(of: node).compactMap(block)
    }

    private static func block(_ node: OpaquePointer) -> MarkdownBlock? {
        let line = Int(cmark_node_get_start_line(node))
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_HEADING:
            return MarkdownBlock(.heading(level: Int(cmark_node_get_heading_level(node)), content: inlines(under: node)), line: line)
        case CMARK_NODE_PARAGRAPH:
            return MarkdownBlock(.paragraph(inlines(under: node)), line: line)
        case CMARK_NODE_BLOCK_QUOTE:
            return MarkdownBlock(.blockQuote(blocks(under: node)), line: line)
        case CMARK_NODE_LIST:
            let list = MarkdownList(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)),
                tight: cmark_node_get_list_tight(node) != 0,
                items: children(of: node).map { blocks(under: $0) }
            )
            return MarkdownBlock(.list(list), line: line)
        case CMARK_NODE_CODE_BLOCK:
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            return MarkdownBlock(.codeBlock(info: info, code: literal(node)), line: line)
        case CMARK_NODE_HTML_BLOCK:
            return MarkdownBlock(.html(literal(node)), line: line)
        case CMARK_NODE_THEMATIC_BREAK:
            return MarkdownBlock(.thematicBreak, line: line)
        default:
            if typeString(node) == "table" {
                return MarkdownBlock(.table(table(node)), line: line)
            }
            // Footnote definitions and custom blocks: keep their content as plain blocks.
            let inner = blocks(under: node)
            return inner.isEmpty ? nil : MarkdownBlock(.blockQuote(inner), line: line)
        }
    }

    private static func table(_ node: OpaquePointer) -> MarkdownTable {
        let columns = Int(cmark_gfm_extensions_get_table_columns(node))
        var alignments: [MarkdownTable.Alignment] = []
        if let raw = cmark_gfm_extensions_get_table_alignments(node) {
            for i in 0..<columns {
                switch UInt8(raw[i]) {
                case UInt8(ascii: "l"): alignments.append(.left)
                case UInt8(ascii: "c"): alignments.append(.center)
                case UInt8(ascii: "r"): alignments.append(.right)
                default: alignments.append(.none)
                }
            }
        } else {
            alignments = Array(repeating: .none, count: columns)
        }
        var header: [[MarkdownInline]] = []
        var rows: [[[MarkdownInline]]] = []
        for row in children(of: node) {
            let cells = children(of: row).map { inlines(under: $0) }
            if cmark_gfm_extensions_get_table_row_is_header(row) != 0 {
                header = cells
            } else {
                rows.append(cells)
            }
        }
        return MarkdownTable(alignments: alignments, header: header, rows: rows)
    }

    private static func inlines(under node: OpaquePointer) -> [MarkdownInline] {
        children(of: node).compactMap(inline)
    }

    private static func inline(_ node: OpaquePointer) -> MarkdownInline? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return .text(literal(node))
        case CMARK_NODE_CODE: return .code(literal(node))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_HTML_INLINE: return .html(literal(node))
        case CMARK_NODE_EMPH: return .emphasis(inlines(under: node))
        case CMARK_NODE_STRONG: return .strong(inlines(under: node))
        case CMARK_NODE_LINK:
            return .link(
                destination: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                title: cmark_node_get_title(node).map { String(cString: $0) } ?? "",
                content: inlines(under: node))
        case CMARK_NODE_IMAGE:
            return .image(
                source: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                title: cmark_node_get_title(node).map { String(cString: $0) } ?? "",
                alt: inlines(under: node))
        default:
            if typeString(node) == "strikethrough" {
                return .strikethrough(inlines(under: node))
            }
            let inner = inlines(under: node)
            return inner.isEmpty ? nil : .emphasis(inner)
        }
    }
}
