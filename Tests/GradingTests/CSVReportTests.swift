import Foundation
import Testing
@testable import Grading

@Suite struct CSVReportTests {
    /// Parses CSV with Python's `csv` module and prints the rows as JSON.
    static func parsed(_ csv: String) throws -> [[String]]? {
        guard ExternalTool.require("python3") else { return nil }
        let file = try ExternalTool.file(csv, named: "results.csv")
        let script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f: print(json.dumps(list(csv.reader(f))))"
        let run = try ExternalTool.run(["python3", "-c", script, file])
        #expect(run.status == 0, "\(run.output)")
        return try JSONDecoder().decode([[String]].self, from: Data(run.output.utf8))
    }

    static let header = ["submission", "learner", "path", "stage 1: List users", "stage 2: Create users", "stage 3: Limits", "stage 4: Delete",
                         "total", "max", "passed", "summary", "content hash", "graded at"]

    @Test func theFixtureClassReadsBackRowByRow() throws {
        guard let rows = try Self.parsed(CSVReport.csv(ReportFixture.all)) else { return }
        #expect(rows.count == 4)
        #expect(rows[0] == Self.header)
        #expect(rows[1] == ["ada", "ada", "subs/ada", "3", "1", "0", "0", "4", "12", "no",
                            "stage 2 'Create users': Create users two: expected status 201, got 200 <b>", "c0ffee3", "2025-03-01T09:30:00Z"])
        #expect(rows[2] == ["bob", "bob", "subs/bob", "3", "3", "1", "0", "7", "12", "no",
                            "stage 3 'Limits': Limits two: a hidden check failed", "c0ffee3", "2025-03-01T09:30:00Z"])
        #expect(rows[3][9...10] == ["no", "did not build: main.go:3:1: syntax error: unexpected }"])
    }

    @Test func nastyFieldsRoundTripThroughARealParser() throws {
        let nasty = [
            ReportFixture.submission("Smith, \"Jo\"", path: "subs/a,b\nc\r\nd", stages: ReportFixture.stages([.passed])),
            ReportFixture.submission("=cmd|' /C calc'!A0", stages: []),
            ReportFixture.submission("+1", path: "-2", stages: []),
            ReportFixture.submission("@SUM(A1:A2)", path: "\ttab", stages: []),
        ]
        let csv = CSVReport.csv(nasty)
        #expect(csv.contains("\"Smith, \"\"Jo\"\"\""))
        guard let rows = try Self.parsed(csv) else { return }
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.count == 10 }) // submission, learner, path, one stage, six totals
        #expect(rows[1][1] == "Smith, \"Jo\"" && rows[1][2] == "subs/a,b\nc\r\nd")
        #expect(rows[2][1] == "'=cmd|' /C calc'!A0")
        #expect(rows[3][1] == "'+1" && rows[3][2] == "'-2")
        #expect(rows[4][1] == "'@SUM(A1:A2)" && rows[4][2] == "'\ttab")
        #expect(rows[2][3] == "", "no stage ran: an empty cell, not a zero")
        // The slots are safe file names, whatever the folder is called.
        #expect(rows.dropFirst().allSatisfy { !"=+-@\t\r".contains($0[0].first ?? "=") })
        #expect(rows[1][0].hasPrefix("a_b_c_d-") && rows[3][0].hasPrefix("2-"))
    }

    @Test func linesEndInCRLFAndPointsKeepTheirFractions() {
        let half = ReportFixture.submission("ada", stages: [StageResult(position: 1, id: "s", name: "S", hidden: false, status: .failed, checks: [
            CheckResult(id: "c", name: "c", status: .failed, score: 0.5, maxScore: 1, durationSeconds: 0),
        ], durationSeconds: 0)])
        let csv = CSVReport.csv([half])
        #expect(csv.hasSuffix("\r\n") && csv.components(separatedBy: "\r\n").count == 3)
        #expect(csv.contains("ada,ada,subs/ada,0.50,0.50,1,no,"))
    }
}
