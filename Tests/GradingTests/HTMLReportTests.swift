import Foundation
import Testing
@testable import Grading

@Suite struct HTMLReportTests {
    /// Errors and warnings `xmllint --html` reports for `page` (empty when clean); nil when
    /// xmllint is missing (already recorded).
    static func lint(_ page: String) throws -> String? {
        guard ExternalTool.require("xmllint") else { return nil }
        let run = try ExternalTool.run(["xmllint", "--html", "--noout", try ExternalTool.file(page, named: "page.html")])
        return run.status == 0 ? run.output : "exit \(run.status): \(run.output)"
    }

    @Test(arguments: ["ada", "bob", "carol"])
    func everySubmissionPageParsesWithoutErrors(learner: String) throws {
        let result = try #require(ReportFixture.all.first { $0.learner == learner })
        #expect(try Self.lint(HTMLReport.submissionPage(result)) == "")
    }

    @Test func theClassSummaryParsesWithoutErrors() throws {
        #expect(try Self.lint(HTMLReport.classSummary(ReportFixture.all, exercise: "users-api", generatedAt: ReportFixture.startedAt)) == "")
        #expect(try Self.lint(HTMLReport.classSummary([], exercise: "users-api", generatedAt: ReportFixture.startedAt)) == "")
    }

    @Test func theLintCatchesBrokenMarkup() throws {
        #expect(try Self.lint("<html><body><p>unclosed <b>bold</i></p></body></html>") != "")
    }

    @Test func aProgramPrintingAScriptTagCannotInjectMarkup() throws {
        let page = HTMLReport.submissionPage(ReportFixture.ada)
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert('x')&lt;/script&gt;\\x1B[31mred\\x00"))
        #expect(page.contains("&lt;script&gt;alert(\"r\")&lt;/script&gt;"))
        let hostile = ReportFixture.submission("<img src=x onerror=alert(1)>\"", stages: [])
        let summary = HTMLReport.classSummary([hostile], exercise: "<i>x</i>", generatedAt: ReportFixture.startedAt)
        #expect(!summary.contains("<img") && !summary.contains("<i>x"))
        // The folder (here named like the learner) links its page by its slot; the name is text.
        let slot = ReportFileNames.slots(for: [hostile])[0]
        #expect(slot.hasPrefix("img_src_x_onerror_alert_1-"))
        #expect(summary.contains("<a href=\"\(slot).html\">&lt;img src=x onerror=alert(1)&gt;\"</a></td><td class=\"name\">&lt;img src=x onerror=alert(1)&gt;\"</td>"))
    }

    @Test func aSubmissionPageShowsHeaderStagesFailuresAndOutput() {
        let page = HTMLReport.submissionPage(ReportFixture.ada)
        #expect(page.contains("<h1>ada</h1>"))
        #expect(page.contains("4 / 12 points</span> <span class=\"badge failed big\">failed</span>"))
        #expect(page.contains("<tr><th>Seed</th><td class=\"mono\">42</td></tr>"))
        #expect(page.contains("<tr><th>Sandbox</th><td class=\"mono\">sandboxed (bwrap, uid 65534)</td></tr>"))
        #expect(page.contains("<h3>Stage 2 · Create users</h3>"))
        #expect(page.contains("<div class=\"label\">Sent</div>\n<pre>POST /api/v1/users\n{\"name\":\"a, b\",\"email\":\"x@y\"}</pre>"))
        #expect(page.contains("<div class=\"label\">Expected</div>\n<pre>HTTP/1.1 201 Created &amp; a user</pre>"))
        #expect(page.contains("<strong>Hint:</strong> return 201 from the create handler"))
        #expect(page.contains("<p class=\"muted\">not run: stage 2 'Create users' failed</p>"))
        #expect(page.contains("<td class=\"num\">0/2</td><td class=\"num\">250 ms</td>"))
        #expect(page.contains("5000 bytes, 4900 omitted in the middle"))
        #expect(page.contains("<style>") && !page.contains("<link") && !page.contains("src="))
    }

    @Test func aHiddenStageIsMarkedAndShowsOnlyTheGenericMessage() {
        let page = HTMLReport.submissionPage(ReportFixture.bob)
        #expect(page.contains("<h3>Stage 3 · Limits</h3> <span class=\"badge hidden\">hidden</span>"))
        #expect(page.contains("<p class=\"message\">\(ReportFixture.hiddenMessage)</p>\n</div>"))
    }

    @Test func aBuildFailureLeadsThePage() {
        let page = HTMLReport.submissionPage(ReportFixture.carol)
        #expect(page.contains("<h3>The program did not build</h3></div>\n<pre>main.go:3:1: syntax error: unexpected }\n</pre>"))
    }

    @Test func theSummaryLinksPagesAndShowsDistributionAndPassRates() {
        let summary = HTMLReport.classSummary(ReportFixture.all, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        for learner in ["ada", "bob", "carol"] {
            #expect(summary.contains("<td class=\"name\"><a href=\"\(learner).html\">\(learner)</a></td><td class=\"name\">\(learner)</td>"))
        }
        // ada 4/12 = 33%, bob 7/12 = 58%, carol 0%.
        #expect(HTMLClassSummaryPage.buckets(ReportFixture.all) == [1, 0, 0, 1, 0, 1, 0, 0, 0, 0])
        #expect(summary.contains("<div class=\"count\">1</div><div class=\"bar\" style=\"height: 140px\"></div><div class=\"label\">0–9%</div>"))
        let rates = HTMLClassSummaryPage.checkRates(ReportFixture.all)
        #expect(rates.count == 8)
        #expect(rates.map(\.passed) == [2, 2, 2, 1, 1, 0, 0, 0])
        #expect(summary.contains("<td class=\"num\">1/3</td>"))
        #expect(summary.contains("Passed every stage</div>"))
    }

    @Test func aPerfectScoreFallsInTheTopBucket() {
        let perfect = ReportFixture.submission("eve", stages: ReportFixture.stages([.passed, .passed, .passed, .passed]))
        #expect(HTMLClassSummaryPage.buckets([perfect]) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    }
}
