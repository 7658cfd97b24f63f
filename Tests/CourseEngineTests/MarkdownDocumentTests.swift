import Testing
@testable import CourseEngine

@Suite struct MarkdownDocumentTests {
    let document: MarkdownDocument

    init() throws {
        document = MarkdownDocument(parsing: try TestSupport.fixture("every-construct.md"))
    }

    @Test func everyBlockKindIsParsedWithItsLine() {
        let kinds = document.allBlocks().map { block -> String in
            switch block.kind {
            case .heading(let level, _): return "h\(level)"
            case .paragraph: return "p"
            case .blockQuote: return "quote"
            case .list(let list): return list.ordered ? "ol" : "ul"
            case .codeBlock(let info, _): return "code:\(info)"
            case .html: return "html"
            case .thematicBreak: return "hr"
            case .table: return "table"
            }
        }
        for expected in ["h1", "h2", "h3", "p", "quote", "ul", "ol", "code:go", "code:sh", "code:", "hr", "table", "html"] {
            #expect(kinds.contains(expected), "missing \(expected) in \(kinds)")
        }
        #expect(document.blocks.first?.line == 1)
        let goBlock = document.allBlocks().first { if case .codeBlock("go", _) = $0.kind { return true }; return false }
        #expect(goBlock?.line == 39)
    }

    @Test func tablesKeepAlignmentAndCells() throws {
        let table = try #require(document.blocks.compactMap { block -> MarkdownTable? in
            if case .table(let t) = block.kind { return t }
            return nil
        }.first)
        #expect(table.alignments == [.left, .center, .right, .none])
        #expect(table.header.map(\.plainText) == ["Method", "Path", "Status", "Meaning"])
        #expect(table.rows.count == 3)
        #expect(table.rows[0][1] == [.code("/api/v1/users")])
    }

    @Test func inlinesCoverEmphasisLinksAndBreaks() throws {
        guard case .paragraph(let inlines) = document.blocks[1].kind else {
            Issue.record("second block is not a paragraph")
            return
        }
        #expect(inlines.contains(.emphasis([.text("emphasis")])))
        #expect(inlines.contains(.strong([.text("strong text")])))
        #expect(inlines.contains(.code("inline code")))
        #expect(inlines.contains(.strikethrough([.text("struck out")])))
        #expect(inlines.contains(.lineBreak))
        #expect(inlines.contains(.link(destination: "https://go.dev/doc/", title: "", content: [.text("link to Go")])))
        #expect(inlines.contains { if case .link("https://pkg.go.dev/net/http", _, _) = $0 { return true }; return false })
    }

    @Test func headingAnchorsAreGitHubSlugs() {
        let doc = MarkdownDocument(parsing: "# Hello, World!\n## Common mistakes\n## Common mistakes\n### `go vet` and you")
        #expect(doc.headingAnchors() == ["hello-world", "common-mistakes", "common-mistakes-1", "go-vet-and-you"])
    }

    @Test func htmlComesFromCmarkAndDropsRawHTML() {
        let html = HTMLRenderer.fragment(markdown: try! TestSupport.fixture("every-construct.md"))
        #expect(html.contains("<h1>Every construct</h1>"))
        #expect(html.contains("<table>"))
        #expect(html.contains("<code class=\"language-go\">") || html.contains("<pre lang=\"go\">"))
        #expect(!html.contains("<div>raw html"))
        let page = HTMLRenderer.page(markdown: "# T", title: "A <b> title")
        #expect(page.contains("<title>A &lt;b&gt; title</title>"))
    }
}
