import CourseEngine
import Foundation
import Testing
@testable import Grading

/// A small class that exercises every branch a report has to render:
/// * ada: stage 1 passed, stage 2 failed with a full failure (sent/received/expected/hint)
///   whose texts and program output hold markup, quotes, commas and control characters;
///   the hidden stage 3 and stage 4 did not run.
/// * bob: stages 1 and 2 passed, the hidden stage 3 failed; his program echoed a hidden
///   input (`hiddenInput`) into its output.
/// * carol: did not build; nothing ran.
enum ReportFixture {
    static let startedAt = Date(timeIntervalSince1970: 1_740_821_400) // 2025-03-01T09:30:00Z
    static let hiddenInput = "SECRET-HIDDEN-INPUT-4711"
    static let hiddenMessage = "a hidden check failed: the response does not follow the contract"
    static let failure = CheckFailure("expected status 201, got 200 <b>",
                                      sent: "POST /api/v1/users\n{\"name\":\"a, b\",\"email\":\"x@y\"}",
                                      received: "HTTP/1.1 200 OK\n<script>alert(\"r\")</script>",
                                      expected: "HTTP/1.1 201 Created & a user",
                                      hint: "return 201 from the create handler")

    static func stages(_ statuses: [StageResult.Status], failure: CheckFailure? = nil, hiddenFailure: Bool = false) -> [StageResult] {
        let definitions: [(id: String, name: String, hidden: Bool)] = [
            ("list", "List users", false), ("create", "Create users", false), ("limits", "Limits", true), ("delete", "Delete", false),
        ]
        return zip(definitions, statuses).enumerated().map { index, pair in
            let (definition, status) = pair
            let checks: [CheckResult]
            switch status {
            case .passed:
                checks = [CheckResult(id: "a", name: "\(definition.name) one", status: .passed, score: 1, maxScore: 1, durationSeconds: 0.0125),
                          CheckResult(id: "b", name: "\(definition.name) two", status: .passed, score: 2, maxScore: 2, durationSeconds: 0.5)]
            case .failed:
                let why = definition.hidden && hiddenFailure ? CheckFailure(hiddenMessage) : failure
                checks = [CheckResult(id: "a", name: "\(definition.name) one", status: .passed, score: 1, maxScore: 1, durationSeconds: 0.01),
                          CheckResult(id: "b", name: "\(definition.name) two", status: .failed, score: 0, maxScore: 2, durationSeconds: 0.25, failure: why)]
            case .notRun:
                checks = [CheckResult(id: "a", name: "\(definition.name) one", status: .notRun, score: 0, maxScore: 1, durationSeconds: 0),
                          CheckResult(id: "b", name: "\(definition.name) two", status: .notRun, score: 0, maxScore: 2, durationSeconds: 0)]
            }
            return StageResult(position: index + 1, id: definition.id, name: definition.name, hidden: definition.hidden,
                               status: status, checks: checks, durationSeconds: 1.5)
        }
    }

    static func submission(_ learner: String, path: String? = nil, build: BuildOutcome = .built(seconds: 2.5),
                           stages: [StageResult], output: OutputLog = .empty) -> SubmissionResult {
        SubmissionResult(exerciseID: "users-api", learner: learner, path: path ?? "subs/\(learner)", contentHash: "c0ffee\(learner.count)",
                         startedAt: startedAt, durationSeconds: 12.3456, seed: 42,
                         sandbox: SandboxStatus(enabled: true, note: "bwrap, uid 65534"), build: build,
                         stages: stages, programOutput: output, versions: ["course": "0.1.0", "go": "1.19.8"])
    }

    static let ada = submission("ada", stages: stages([.passed, .failed, .notRun, .notRun], failure: failure),
                                output: OutputLog(head: "listening on :8080\n<script>alert('x')</script>\u{1B}[31mred\u{0}\r\nend\n",
                                                  tail: "bye & done\n", totalBytes: 5000, omittedBytes: 4900))
    static let bob = submission("bob", stages: stages([.passed, .passed, .failed, .notRun], hiddenFailure: true),
                                output: OutputLog(head: "got \(hiddenInput)\n", totalBytes: 34))
    static let carol = submission("carol", build: .failed(reason: "main.go:3:1: syntax error: unexpected }\n"),
                                  stages: stages([.notRun, .notRun, .notRun, .notRun]))
    static let all = [ada, bob, carol]
}

/// Runs the command-line tools the report tests check against (xmllint, python3). A tool
/// that is missing fails the test with the command that installs it: a skipped check would
/// prove nothing.
enum ExternalTool {
    struct Run {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether `name` is on PATH; records a failure naming the setup step when not.
    static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
        if !found {
            Issue.record("\(name) is not installed: run `bash scripts/setup.sh --tests`", sourceLocation: sourceLocation)
        }
        return found
    }

    /// A fresh directory for one test's files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("course-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a file in a fresh directory and returns its path.
    static func file(_ text: String, named name: String) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

@Suite struct ReportTests {
    @Test func theWriterPutsEachFormatUnderItsStableName() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        let written = try writer.write(ReportFixture.all, formats: ReportFormat.allCases)
        let relative = written.map { String($0.path.dropFirst(directory.path.count + 1)) }
        #expect(relative == [
            "junit.xml",
            "gradescope/ada/results.json", "gradescope/bob/results.json", "gradescope/carol/results.json",
            "results.csv", "results.json",
            "html/ada.html", "html/bob.html", "html/carol.html", "html/index.html",
        ])
        let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit == JUnitReport.xml(ReportFixture.all, exercise: "users-api"))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func theWriterWritesOnlyTheFormatsAskedForAndReplacesOldFiles() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = directory.appendingPathComponent("results.csv")
        try Data("stale,report\n".utf8).write(to: old)
        let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        let written = try writer.write([ReportFixture.ada], formats: [.csv, .csv])
        #expect(written.map(\.lastPathComponent) == ["results.csv"])
        #expect(try String(contentsOf: old, encoding: .utf8) == CSVReport.csv([ReportFixture.ada]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["results.csv"])
    }

    @Test func aWriteThatCannotStartChangesNothing() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A folder where the JUnit file should go: refused before anything is written.
        let blocked = directory.appendingPathComponent("junit.xml")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
        let writer = ReportWriter(directory: directory, exercise: "users-api")
        #expect(throws: CourseError("\(blocked.path) is a folder where the junit report file goes")) {
            try writer.write(ReportFixture.all, formats: [.junit, .csv])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["junit.xml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked.path) == ["inside"])
    }

    /// Slots come from the folder: the same folder name is the same slot whatever the
    /// learner is called; names that are not safe file names are reduced and given a suffix
    /// of their own, so they cannot meet; the same name in two parents is told apart by path.
    @Test func foldersBecomeSafeStableSlots() {
        let paths = ["subs/ada", "subs/José Núñez", "subs/Jose Nunez", "subs/../../etc/passwd", "subs/index", "subs/.hidden",
                     "subs/ada-2", "subs/a b", "subs/" + String(repeating: "x", count: 300), "/abs/bob/"]
        let slots = ReportFileNames.slots(for: paths)
        #expect(slots[0] == "ada" && slots[6] == "ada-2" && slots[9] == "bob")
        #expect(slots[1].hasPrefix("Jose_Nunez-") && slots[2].hasPrefix("Jose_Nunez-") && slots[1] != slots[2])
        #expect(slots[3].hasPrefix("passwd") && slots[4].hasPrefix("index-") && slots[5].hasPrefix("hidden-") && slots[7].hasPrefix("a_b-"))
        #expect(slots.allSatisfy { $0.count <= ReportFileNames.maximumLength + 9 && !$0.hasPrefix(".") && !$0.hasPrefix("-") })
        #expect(slots.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) } })
        #expect(Set(slots.map { $0.lowercased() }).count == slots.count)
        // Alone, reversed, or with others missing: every folder keeps its slot.
        #expect(paths.map { ReportFileNames.slots(for: [$0])[0] } == slots)
        #expect(Array(ReportFileNames.slots(for: paths.reversed()).reversed()) == slots)
        // The same name in two parents (or two cases of it): both get a suffix from their path.
        let twins = ReportFileNames.slots(for: ["a/ada", "b/ada", "c/Ada", "subs/bob"])
        #expect(twins[0].hasPrefix("ada-") && twins[1].hasPrefix("ada-") && twins[2].hasPrefix("Ada-") && twins[3] == "bob")
        #expect(Set(twins.map { $0.lowercased() }).count == 4)
        #expect(ReportFileNames.slots(for: ["b/ada", "a/ada"]) == [twins[1], twins[0]])
    }

    @Test func formatListsParseAndUnknownNamesAreUsageErrors() throws {
        #expect(try ReportFormat.parseList("junit, CSV,junit") == [.junit, .csv])
        #expect(try ReportFormat.parseList("all") == ReportFormat.allCases)
        #expect(throws: ReportFormatError.unknown("xml")) { try ReportFormat.parseList("junit,xml") }
        #expect(throws: ReportFormatError.empty) { try ReportFormat.parseList(" , ") }
        #expect(ReportFormatError.unknown("xml").description.contains("junit, gradescope, csv, json, html"))
    }

    @Test func markupEscapingKeepsTextAndReplacesWhatXMLForbids() {
        #expect(MarkupEscaping.text("a<b>&c\"d\n\te") == "a&lt;b&gt;&amp;c\"d\n\te")
        #expect(MarkupEscaping.attribute("a\"b\nc\td") == "a&quot;b&#10;c&#9;d")
        #expect(MarkupEscaping.text("x\u{0}y\u{1B}[0m\u{7F}\r\n") == "x\\x00y\\x1B[0m\\x7F&#13;\n")
        #expect(MarkupEscaping.text("\u{FFFE}é😀") == "\u{FFFD}é😀")
    }
}
