import Foundation
import Testing
@testable import Grading

/// The HTML reports as a browser lays them out (headless Chromium, Debian's `chromium`): a
/// long learner name and a long one-line summary wrap inside their card instead of running
/// past it. A script added to a copy of each page measures every card and writes what sticks
/// out into the page, which `--dump-dom` prints.
@Suite struct HTMLLayoutTests {
    /// Measures the laid-out page: for each card, any element whose box ends right of the
    /// card's, or a card whose content is wider than the card; and a page that scrolls sideways.
    static let measure = """
        <script>
        const problems = [];
        for (const card of document.querySelectorAll('.card, .stat')) {
          const edge = card.getBoundingClientRect().right;
          if (card.scrollWidth > card.clientWidth + 1) problems.push('a card is ' + card.scrollWidth + 'px wide inside, ' + card.clientWidth + 'px outside');
          for (const element of card.querySelectorAll('*')) {
            const box = element.getBoundingClientRect();
            if (box.width > 0 && box.right > edge + 1) problems.push('<' + element.tagName.toLowerCase() + (element.className ? '.' + element.className : '') + '> ends ' + Math.round(box.right - edge) + 'px past its card');
          }
        }
        if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) problems.push('the page scrolls sideways');
        const out = document.createElement('pre');
        out.textContent = 'LAY' + 'OUT[' + problems.join('|') + ']LAY' + 'OUT'; // split: the script's own text is in the DOM too
        document.body.appendChild(out);
        </script>
        """

    /// What sticks out of its card in `html` at a window `width` pixels wide; nil when
    /// Chromium is missing (recorded as an issue) or printed nothing to read.
    static func overflow(_ html: String, width: Int, extraCSS: String = "") throws -> [String]? {
        guard ExternalTool.require("chromium") else { return nil }
        let folder = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("page.html")
        let measured = html.replacingOccurrences(of: "</style>", with: extraCSS + "\n</style>")
            .replacingOccurrences(of: "</body>", with: measure + "\n</body>")
        try Data(measured.utf8).write(to: page)
        let run = try ExternalTool.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                        "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                                        "--window-size=\(width),900", "--dump-dom", page.absoluteString])
        guard let start = run.output.range(of: "LAYOUT["), let end = run.output.range(of: "]LAYOUT", range: start.upperBound..<run.output.endIndex) else {
            Issue.record("Chromium printed no measurement (status \(run.status)):\n\(run.output.suffix(2000))")
            return nil
        }
        let text = String(run.output[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return text.isEmpty ? [] : text.components(separatedBy: "|")
    }

    /// A class whose learner names and summaries are as long as people and programs make them.
    static func longClass() -> [SubmissionResult] {
        let word = String(repeating: "Unterbrechungsfrei", count: 12) // 216 characters, no space
        let failure = CheckFailure("expected \(word) but the program answered \(String(repeating: "x", count: 240))")
        var long = ReportFixture.submission("Maria-Theresia Walburga Amalia Christina von Habsburg-Lothringen \(word)",
                                            path: "subs/\(word)", stages: ReportFixture.stages([.failed], failure: failure))
        long.build = .built(seconds: 1)
        return [long, ReportFixture.ada, ReportFixture.carol]
    }

    /// A laptop's window and a narrow one (narrower, the fixed parts of the class table,
    /// meters and badges, no longer fit, whatever the names).
    @Test(arguments: [760, 1100])
    func longNamesAndSummariesStayInsideTheirCards(width: Int) throws {
        let results = Self.longClass()
        let summary = HTMLReport.classSummary(results, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        guard let summaryProblems = try Self.overflow(summary, width: width) else { return }
        #expect(summaryProblems.isEmpty, "class summary at \(width) px: \(summaryProblems)")
        let page = HTMLReport.submissionPage(results[0])
        guard let pageProblems = try Self.overflow(page, width: width) else { return }
        #expect(pageProblems.isEmpty, "submission page at \(width) px: \(pageProblems)")
    }

    /// The measurement can fail: with text that may not wrap (as the class table's name
    /// column was), the long name runs past its card and is reported.
    @Test func theMeasurementCatchesTextRunningPastItsCard() throws {
        let summary = HTMLReport.classSummary(Self.longClass(), exercise: "users-api", generatedAt: ReportFixture.startedAt)
        guard let problems = try Self.overflow(summary, width: 800, extraCSS: "table.grid td { white-space: nowrap; overflow-wrap: normal; }") else { return }
        #expect(problems.contains { $0.contains("past its card") || $0.contains("wide inside") }, "\(problems)")
    }
}
