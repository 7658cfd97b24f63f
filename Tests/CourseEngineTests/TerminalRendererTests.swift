import Foundation
import Testing
@testable import CourseEngine

@Suite struct TerminalRendererTests {
    static let source = try! TestSupport.fixture("every-construct.md")

    func render(width: Int, caps: TerminalCapabilities) -> String {
        let renderer = TerminalRenderer(width: width, capabilities: caps) { destination in
            destination.hasPrefix("second.md") ? "course lesson second" : nil
        }
        return renderer.render(MarkdownDocument(parsing: Self.source))
    }

    /// Golden files pin the exact output; set UPDATE_GOLDEN=1 to rewrite them after an
    /// intended change, then review the diff.
    func assertGolden(_ actual: String, _ name: String) throws {
        let url = TestSupport.fixtures.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try TestSupport.write(actual, to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs at line \(first + 1):
                expected: \(first < e.count ? String(reflecting: String(e[first])) : "<end>")
                actual:   \(first < a.count ? String(reflecting: String(a[first])) : "<end>")
                """)
        }
    }

    @Test func plainGoldenAt60() throws {
        try assertGolden(render(width: 60, caps: .plain), "every-construct.plain-60.txt")
    }

    @Test func ansiGoldenAt80() throws {
        try assertGolden(render(width: 80, caps: .ansi), "every-construct.ansi-80.txt")
    }

    @Test func hyperlinksGoldenAt80() throws {
        try assertGolden(render(width: 80, caps: TerminalCapabilities(color: true, hyperlinks: true)), "every-construct.osc8-80.txt")
    }

    @Test(arguments: [40, 60, 80, 120])
    func noLineIsWiderThanTheWidthOutsideCode(width: Int) {
        for caps in [TerminalCapabilities.plain, .ansi] {
            let lines = render(width: width, caps: caps).split(separator: "\n", omittingEmptySubsequences: false)
            var inCode = false
            for line in lines {
                let visible = TextWidth.stripANSI(String(line))
                // Code lines are indented by the gutter and not wrapped on purpose.
                inCode = visible.hasPrefix("    ") || visible.hasPrefix("│ ") && caps.color && !visible.hasPrefix("│ A")
                if inCode { continue }
                #expect(TextWidth.of(visible) <= width, "line wider than \(width): \(visible)")
            }
        }
    }

    @Test func plainOutputHasNoEscapesAndNoMarkdownMarkers() {
        let text = render(width: 80, caps: .plain)
        #expect(!text.contains("\u{1B}"))
        for marker in ["**", "__", "~~", "```", "](", "<div>", "\n# ", "\n## ", "`inline"] {
            #expect(!text.contains(marker), "plain output contains \(marker)")
        }
        #expect(text.contains("link to Go (https://go.dev/doc/)"))
        #expect(text.contains("another lesson (course lesson second)"))
        #expect(text.contains("[image: a diagram] (diagram.png)"))
    }

    @Test func ansiOutputStylesWithoutLeakingAcrossLines() {
        let text = render(width: 80, caps: .ansi)
        #expect(text.contains("\u{1B}[3memphasis\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1mstrong text\u{1B}[0m"))
        #expect(!text.contains("\u{1B}]8;;"), "no hyperlinks unless the terminal supports them")
        // The last SGR of every line is a reset, so no style carries into the next line.
        for line in text.split(separator: "\n") {
            guard let last = line.ranges(of: "\u{1B}[").last else { continue }
            #expect(line[last.lowerBound...].hasPrefix("\u{1B}[0m"), "style leaks past the end of: \(line)")
        }
    }

    @Test func hyperlinksWrapLinkTextInOSC8() {
        let text = render(width: 80, caps: TerminalCapabilities(color: true, hyperlinks: true))
        #expect(text.contains("\u{1B}]8;;https://go.dev/doc/\u{1B}\\"))
    }

    @Test func goCodeIsHighlighted() {
        let text = render(width: 80, caps: .ansi)
        #expect(text.contains(GoHighlighter.keywordStyle.sgr + "package" + TextStyle.reset))
        #expect(text.contains(GoHighlighter.commentStyle.sgr + "// main prints a greeting." + TextStyle.reset))
        #expect(text.contains(GoHighlighter.stringStyle.sgr + "string`" + TextStyle.reset), "raw strings continue across lines")
    }

    @Test func nestedListsIndentAndNumberAlign() {
        let text = render(width: 80, caps: .plain)
        #expect(text.contains("\n• First bullet with a code span\n"))
        #expect(text.contains("\n  ◦ Nested bullet\n"))
        #expect(text.contains("\n    ▪ Deeper nested bullet\n"))
        #expect(text.contains("\n1. Ordered one\n"))
        #expect(text.contains("\n   1. Nested ordered\n"))
        #expect(text.contains("\n3. Ordered ten"), "CommonMark numbers items from the list's start")
    }

    @Test func tablesShrinkToFitNarrowWidths() {
        let text = render(width: 40, caps: .plain)
        let tableLines = text.split(separator: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("└") }
        #expect(!tableLines.isEmpty)
        for line in tableLines {
            #expect(TextWidth.of(line) <= 40, "table line too wide: \(line)")
        }
    }
}

@Suite struct TextLayoutTests {
    @Test func wideCharactersCountTwoColumns() {
        #expect(TextWidth.of("日本") == 4)
        #expect(TextWidth.of("café") == 4)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("🚀") == 2)
        #expect(TextWidth.visible("\u{1B}[1mbold\u{1B}[0m") == 4)
        #expect(TextWidth.stripANSI("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
    }

    @Test func wrapperBreaksAtSpacesAndSplitsOverlongWords() {
        let lines = LineWrapper(width: 10).wrap([StyledSpan("aaaa bbbb cccc dddddddddddddd")])
        let texts = lines.map { $0.map(\.text).joined() }
        #expect(texts == ["aaaa bbbb", "cccc", "dddddddddd", "dddd"])
    }

    @Test func shortCodeSpansStayOnOneLine() {
        let spans = [StyledSpan("see "), StyledSpan("go vet ./...", keepTogether: true), StyledSpan(" now")]
        let texts = LineWrapper(width: 14).wrap(spans).map { $0.map(\.text).joined() }
        #expect(texts == ["see", "go vet ./...", "now"])
    }

    @Test func goHighlighterKnowsStringsAndSelectors() {
        var highlighter = GoHighlighter()
        let spans = highlighter.highlight(line: "x := m.len + len(\"for\") // if")
        #expect(spans.contains(StyledSpan("len", style: GoHighlighter.predeclaredStyle)))
        #expect(!spans.contains(StyledSpan("len", style: .plain)) || spans.filter { $0.text == "len" }.count == 2)
        #expect(spans.contains(StyledSpan("\"for\"", style: GoHighlighter.stringStyle)))
        #expect(spans.contains(StyledSpan("// if", style: GoHighlighter.commentStyle)))
    }
}
