import Foundation
import Grading
import Testing

/// `course grade`'s options beyond the defaults (`--only-new`, `--stage`,
/// `--require-sandbox`) and `course gradebook`, on small classes of shell submissions.
@Suite(.serialized) struct GradeOptionsTests {
    let cli: CLIHarness
    let base: URL

    init() throws {
        cli = try CLIHarness()
        base = cli.courseRoot.deletingLastPathComponent()
    }

    /// A class of `name: shell script` submissions under `subs/`; returns their paths in order.
    func makeClass(_ scripts: [(String, String)]) throws -> [String] {
        try scripts.map { name, body in
            let folder = base.appendingPathComponent("subs/\(name)")
            try GradeCommandTests.script(body, in: folder)
            return folder.path
        }
    }

    @Test func onlyNewSkipsUnchangedSubmissionsAndKeepsThemInTheReports() async throws {
        let folders = try makeClass([("ada", "cat\n"), ("bob", "echo nope\n")])
        let reports = base.appendingPathComponent("report")
        let first = try await cli.run(["grade", "echo-lines"] + folders + ["--jobs", "2", "--report-dir", reports.path, "--seed", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        let book = try Gradebook(url: reports.appendingPathComponent("gradebook.sqlite"))
        let before = try book.classTable(exercise: "echo-lines")
        #expect(before.map(\.passed) == [true, false])

        // Bob fixes his program; Ada changes nothing.
        try GradeCommandTests.script("cat\n", in: URL(fileURLWithPath: folders[1]))
        let second = try await cli.run(["grade", "echo-lines"] + folders + ["--only-new", "--report-dir", reports.path, "--seed", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("1 submission is unchanged since its last grading"), "\(second.stderr)")
        #expect(second.stderr.contains("grading 1 submission of echo-lines"), "\(second.stderr)")
        #expect(second.stdout.contains("2/2 passed every stage"), "\(second.stdout)")

        let after = try book.classTable(exercise: "echo-lines")
        #expect(after.count == 2)
        #expect(after.map(\.passed) == [true, true])
        #expect(after[0].gradedAt == before[0].gradedAt, "Ada's unchanged submission was graded again")
        #expect(try book.results(exercise: "echo-lines").map(\.seed) == [1, 2], "Bob's changed submission was graded again")
        // The reports cover the whole class, the kept result included.
        let results = try GradeCommandTests.results(reports)
        #expect(Set(results.keys) == ["ada", "bob"])
        #expect(results["ada"]?["seed"] as? Int == 1 && results["bob"]?["seed"] as? Int == 2)

        // Asking for fewer stages than were recorded grades again.
        let third = try await cli.run(["grade", "echo-lines"] + folders + ["--only-new", "--stage", "1", "--report-dir", reports.path])
        #expect(third.stderr.contains("grading 2 submissions"), "\(third.stderr)")
    }

    @Test func stageLimitsTheStagesGraded() async throws {
        let folders = try makeClass([("ada", "cat\n")])
        let reports = base.appendingPathComponent("report")
        let result = try await cli.run(["grade", "echo-lines"] + folders + ["--stage", "1", "--report-dir", reports.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let stages = try GradeCommandTests.results(reports)["ada"]?["stages"] as? [[String: Any]] ?? []
        #expect(stages.map { $0["id"] as? String } == ["echo"])

        let tooMany = try await cli.run(["grade", "echo-lines"] + folders + ["--stage", "9", "--report-dir", reports.path])
        #expect(tooMany.status == 2 && tooMany.stderr.contains("has 3 stages (asked for --stage 9)"), "\(tooMany.stderr)")
    }

    @Test func gradebookPrintsTheClassTable() async throws {
        let folders = try makeClass([("ada", "cat\n"), ("bob", "echo nope\n")])
        let reports = base.appendingPathComponent("report")
        _ = try await cli.run(["grade", "echo-lines"] + folders + ["--report-dir", reports.path])
        let file = reports.appendingPathComponent("gradebook.sqlite").path

        let table = try await cli.run(["gradebook", "--gradebook", file, "--width", "100"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Learner") == true, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("ada") && $0.contains("10/10") && $0.contains("3/3") }, "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("bob") && $0.contains("0/10") && $0.contains("0/3") }, "\(table.stdout)")
        #expect(lines.last == "2 submissions, 1 passed every stage, mean score 50%", "\(table.stdout)")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(table.stdout)")
        #expect(!table.stdout.contains("\u{1B}["), "colour without a terminal")

        // A name in CJK takes two columns a character: the columns still line up.
        let wide = try makeClass([("misaki", "cat\n")])[0]
        try "track: shell\nbuild: \"\"\nrun: sh main.sh\nlearner: 渡辺 美咲\n"
            .write(toFile: wide + "/course.yaml", atomically: true, encoding: .utf8)
        _ = try await cli.run(["grade", "echo-lines", wide, "--report-dir", reports.path])
        let aligned = try await cli.run(["gradebook", "--gradebook", file, "--width", "100"]).stdout.split(separator: "\n").map(String.init)
        func column(of text: String, in line: String) -> Int? {
            guard let range = line.range(of: text) else { return nil }
            return line[..<range.lowerBound].unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
        }
        let exerciseColumn = column(of: "Exercise", in: aligned[0])
        #expect(aligned.dropFirst().dropLast().allSatisfy { column(of: "echo-lines", in: $0) == exerciseColumn }, "\(aligned)")
        #expect(aligned.contains { $0.hasPrefix("渡辺 美咲") }, "\(aligned)")

        let csv = try await cli.run(["gradebook", "--gradebook", file, "--csv"])
        #expect(csv.stdout.hasPrefix("learner,path,exercise,score,max_score,passed"), "\(csv.stdout)")
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)

        let other = try await cli.run(["gradebook", "--gradebook", file, "--exercise", "echo-server"])
        #expect(other.status == 0 && other.stdout.contains("No graded submissions of echo-server"), "\(other.stdout)")
    }

    @Test func aMissingGradebookIsAnErrorAndIsNotCreated() async throws {
        let missing = base.appendingPathComponent("nowhere/gradebook.sqlite")
        let result = try await cli.run(["gradebook", "--gradebook", missing.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("there is no gradebook at \(missing.path)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing.deletingLastPathComponent().path))
    }

    /// Without bubblewrap on the PATH: `--require-sandbox` refuses before grading anything;
    /// otherwise the grader says so once and grades within the remaining limits.
    @Test func requireSandboxRefusesWhenTheSandboxIsUnavailable() async throws {
        let folders = try makeClass([("ada", "cat\n"), ("bob", "cat\n")])
        let reports = base.appendingPathComponent("report")
        let noBwrap = ["PATH": base.appendingPathComponent("empty-path").path]

        let refused = try await cli.run(["grade", "echo-lines"] + folders + ["--require-sandbox", "--report-dir", reports.path],
                                  environment: noBwrap)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("the sandbox is required but unavailable: bubblewrap (bwrap) is not installed"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: reports.path), "it graded or wrote before refusing")

        let graded = try await cli.run(["grade", "echo-lines"] + folders + ["--report-dir", reports.path], environment: noBwrap)
        #expect(graded.status == 0, "\(graded.stderr)")
        #expect(graded.stderr.components(separatedBy: "grading without the sandbox").count == 2, "said more or less than once: \(graded.stderr)")
        let results = try GradeCommandTests.results(reports)
        #expect(results.count == 2)
        for (_, result) in results {
            #expect((result["sandbox"] as? [String: Any])?["enabled"] as? Bool == false)
            let stages = result["stages"] as? [[String: Any]] ?? []
            #expect(stages.count == 3 && stages.allSatisfy { $0["status"] as? String == "passed" })
        }
    }
}
