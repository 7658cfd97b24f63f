import Testing
@testable import CourseEngine

/// Command output fitted to a terminal: wrapped between words with the line's indent kept,
/// ANSI styles counted as no width, a word longer than a line split; one-liners cut with `…`.
@Suite struct TerminalTextTests {
    @Test func wrapsBetweenWordsKeepingTheIndent() {
        let line = "    the program never became ready: nothing accepted connections (the port in the PORT variable)"
        let wrapped = TerminalText.wrap(line, width: 40)
        let rows = wrapped.split(separator: "\n").map(String.init)
        #expect(rows.allSatisfy { $0.count <= 40 }, "\(rows)")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") }, "continuation keeps the indent: \(rows)")
        #expect(rows.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == line.trimmingCharacters(in: .whitespaces),
                "no word is cut: \(rows)")
        #expect(TerminalText.wrap("short", width: 40) == "short")
        #expect(TerminalText.wrap("a\nb", width: 40) == "a\nb")
    }

    @Test func stylesTakeNoColumns() {
        let red = "\u{1B}[1;31m", reset = "\u{1B}[0m"
        let line = red + "Not yet: stage 1 'Echo': one line: output ended (0/20 points)." + reset
        let rows = TerminalText.wrap(line, width: 50).split(separator: "\n").map(String.init)
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.allSatisfy { TextWidth.visible($0) <= 50 })
        #expect(rows.last.map(TextWidth.stripANSI) == "(0/20 points).", "the break falls between words: \(rows)")
    }

    @Test func aWordLongerThanALineIsSplitWhereLinesEnd() {
        let rows = TerminalText.wrap("see " + String(repeating: "x", count: 30), width: 12).split(separator: "\n").map(String.init)
        #expect(rows.allSatisfy { $0.count <= 12 }, "\(rows)")
        #expect(rows.joined().replacingOccurrences(of: " ", with: "") == "see" + String(repeating: "x", count: 30))
    }

    @Test func fitCutsOneLineWithAnEllipsis() {
        #expect(TerminalText.fit("  ✘ three lines: output ended after 0 lines", width: 20) == "  ✘ three lines: ou…")
        #expect(TerminalText.fit("fits", width: 20) == "fits")
        let styled = TerminalText.fit("\u{1B}[2mwatching a long folder name\u{1B}[0m", width: 10)
        #expect(TextWidth.visible(styled) == 10 && styled.hasSuffix("…\u{1B}[0m"), "\(styled.debugDescription)")
    }
}

/// The renderer names the course command the way the learner runs it, and a link hint that
/// repeats the link's own text drops it.
@Suite struct CommandNamingTests {
    @Test func codeThatRunsTheCourseUsesTheCommandName() {
        let renderer = TerminalRenderer(width: 80, capabilities: .plain, command: "./course")
        let text = renderer.render(MarkdownDocument(parsing: """
            Run `course check hello-users`, not `courses` or `go run .`.

            ```sh
            course watch
            $ course hint
            go build
            ```
            """))
        #expect(text.contains("Run ./course check hello-users, not courses or go run ."), "\(text)")
        #expect(text.contains("    ./course watch\n    $ ./course hint\n    go build"), "\(text)")
    }

    @Test func aLinkHintRepeatingTheLinkTextDropsIt() {
        let renderer = TerminalRenderer(width: 200, capabilities: .plain) { _ in "Basics: lesson 1, course lesson basics" }
        let text = renderer.render(MarkdownDocument(parsing: "Read [Basics](x.md) or [the first lesson](x.md)."))
        #expect(text.contains("Read Basics (lesson 1, course lesson basics) or the first lesson (Basics: lesson 1, course lesson basics)."),
                "\(text)")
    }
}
