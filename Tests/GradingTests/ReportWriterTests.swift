import CourseEngine
import Foundation
import Testing
@testable import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Reports are keyed by submission folder and written all or nothing: a learner name cannot
/// take another's slot, a re-grade replaces the same files, reports of submissions no longer
/// in the run go, a report folder that cannot take the reports is refused before grading,
/// and a failure while writing leaves the previous reports as they were.
@Suite struct ReportWriterTests {
    /// Every file under `folder` with its content, for comparing a whole report folder.
    static func snapshot(_ folder: URL) throws -> [String: String] {
        var files: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        return files
    }

    static func submission(folder: String, learner: String, score: Double = 1) -> SubmissionResult {
        var result = ReportFixture.submission(learner, path: "/class/\(folder)", stages: ReportFixture.stages([.passed]))
        result.stages[0].checks[0].score = score
        return result
    }

    /// The issue: a starter whose `course.yaml` says `learner: student-a` took the slot of
    /// the folder `student-a`, and which got which changed between runs.
    @Test func aLearnerNameCannotTakeAnotherSubmissionsSlot() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = Self.submission(folder: "student-a", learner: "student-a", score: 1)
        let spoof = Self.submission(folder: "starter-copy", learner: "student-a", score: 0)
        for order in [[real, spoof], [spoof, real]] {
            let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
            try writer.write(order, formats: ReportFormat.allCases)
            let files = try Self.snapshot(directory).keys.sorted()
            #expect(files.filter { $0.hasPrefix("gradescope/") } == ["gradescope/starter-copy/results.json", "gradescope/student-a/results.json"])
            #expect(files.filter { $0.hasPrefix("html/") } == ["html/index.html", "html/starter-copy.html", "html/student-a.html"])
            let gradescope = try Data(contentsOf: directory.appendingPathComponent("gradescope/student-a/results.json"))
            #expect(try JSONDecoder().decode(GradescopeReport.Results.self, from: gradescope).score == 3, "the real one is in its slot")
            let page = try String(contentsOf: directory.appendingPathComponent("html/student-a.html"), encoding: .utf8)
            #expect(page.contains("/class/student-a") && !page.contains("/class/starter-copy"))
            let junit = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(junit.contains(#"<testsuite name="student-a" "#) && junit.contains(#"<testsuite name="starter-copy" "#))
            #expect(junit.components(separatedBy: #"<property name="learner" value="student-a"/>"#).count == 3, "the label beside both")
            let csv = try String(contentsOf: directory.appendingPathComponent("results.csv"), encoding: .utf8)
            #expect(csv.contains("\r\nstarter-copy,student-a,/class/starter-copy,") && csv.contains("\r\nstudent-a,student-a,/class/student-a,"))
            let summary = try String(contentsOf: directory.appendingPathComponent("html/index.html"), encoding: .utf8)
            #expect(summary.contains(#"<td class="name"><a href="starter-copy.html">starter-copy</a></td><td class="name">student-a</td>"#))
        }
    }

    /// A re-grade replaces the same files, and reports of a submission that is not in the
    /// run any more are gone (the gradebook keeps the history), in every per-submission format.
    @Test func aRegradeReplacesItsSlotsAndReportsOfSubmissionsNoLongerGradedGo() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        try writer.write([Self.submission(folder: "ada", learner: "ada", score: 0), Self.submission(folder: "bob", learner: "bob")],
                         formats: ReportFormat.allCases)
        try Data("kept".utf8).write(to: directory.appendingPathComponent("gradebook.sqlite"))
        let second = [Self.submission(folder: "ada", learner: "Ada Lovelace", score: 1)]
        try writer.write(second, formats: ReportFormat.allCases)
        let files = try Self.snapshot(directory)
        #expect(files.keys.sorted() == ["gradebook.sqlite", "gradescope/ada/results.json", "html/ada.html", "html/index.html",
                                        "junit.xml", "results.csv", "results.json"])
        #expect(files["gradescope/ada/results.json"] == (try GradescopeReport.json(second[0])))
        #expect(files["html/index.html"] == HTMLReport.classSummary(second, exercise: "users-api", generatedAt: ReportFixture.startedAt))
        #expect(files["gradebook.sqlite"] == "kept")
    }

    // MARK: Before grading

    /// Each place that cannot take the reports is a one-line error naming it, before any
    /// grading; nothing of Foundation's error vocabulary reaches a person.
    @Test func aReportFolderThatCannotTakeTheReportsIsRefusedInOneLine() throws {
        let base = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        func refusal(_ directory: URL, _ formats: [ReportFormat] = ReportFormat.allCases) -> String {
            do {
                try ReportWriter(directory: directory, exercise: "users-api").checkWritable(formats: formats)
                return "(no error)"
            } catch let error as CourseError {
                #expect(error.exitCode == 2)
                return error.description
            } catch {
                return "not a CourseError: \(error)"
            }
        }
        let file = base.appendingPathComponent("report-file")
        try Data("x".utf8).write(to: file)
        let htmlFile = base.appendingPathComponent("with-html-file")
        try FileManager.default.createDirectory(at: htmlFile, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: htmlFile.appendingPathComponent("html"))
        let junitFolder = base.appendingPathComponent("with-junit-folder")
        try FileManager.default.createDirectory(at: junitFolder.appendingPathComponent("junit.xml"), withIntermediateDirectories: true)
        let linked = base.appendingPathComponent("with-linked-gradescope")
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linked.appendingPathComponent("gradescope").path, withDestinationPath: base.path)

        let cases = [
            (refusal(file), "the report folder \(file.path) is a file, not a folder"),
            (refusal(file.appendingPathComponent("deeper")), "cannot make the report folder \(file.path)/deeper: \(file.path) is a file, not a folder"),
            (refusal(htmlFile), "\(htmlFile.path)/html is a file where the html report folder goes"),
            (refusal(junitFolder), "\(junitFolder.path)/junit.xml is a folder where the junit report file goes"),
            (refusal(linked), "\(linked.path)/gradescope is a symbolic link where the gradescope report folder goes (the reports would replace the link, not go where it points)"),
        ]
        for (said, expected) in cases {
            #expect(said == expected)
            #expect(!said.contains("\n") && !said.contains("NSCocoaErrorDomain") && !said.contains("Code="), "\(said)")
        }
        // Only the formats asked for are checked; a missing folder is made.
        #expect(refusal(htmlFile, [.junit, .csv]) == "(no error)")
        let fresh = base.appendingPathComponent("new/report")
        #expect(refusal(fresh) == "(no error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh.path).isEmpty, "the check leaves nothing behind")
    }

    /// A read-only report folder: as root (who ignores permission bits) on a read-only mount,
    /// otherwise by its mode.
    @Test func aReadOnlyReportFolderIsRefusedInOneLine() throws {
        let base = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if geteuid() == 0 {
            try #require(try Mount.tmpfs(at: folder, options: "ro,size=64k"))
        } else {
            chmod(folder.path, 0o555)
        }
        defer {
            if geteuid() == 0 { Mount.unmount(folder) } else { chmod(folder.path, 0o755) }
        }
        let writer = ReportWriter(directory: folder, exercise: "users-api")
        let reason = geteuid() == 0 ? "the file system is read-only" : "permission denied"
        #expect(throws: CourseError("the report folder \(folder.path) is not writable: \(reason)")) {
            try writer.checkWritable(formats: ReportFormat.allCases)
        }
        #expect(throws: CourseError.self) { try writer.write(ReportFixture.all, formats: [.csv]) }
    }

    // MARK: While writing

    /// A failure half-way through (the JSON report cannot be made: a time that is not a
    /// number, after the JUnit, Gradescope and CSV reports were made) leaves every previous
    /// report as it was, and no staging folder; the error is a sentence.
    @Test func aFailureWhileWritingLeavesThePreviousReportsIntact() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        try writer.write(ReportFixture.all, formats: ReportFormat.allCases)
        let before = try Self.snapshot(directory)

        var broken = Self.submission(folder: "dora", learner: "dora")
        broken.stages[0].checks[1].durationSeconds = .nan // only the JSON report writes it as a number
        do {
            try writer.write([ReportFixture.ada, broken], formats: ReportFormat.allCases)
            Issue.record("a report that cannot be encoded was written")
        } catch let error as CourseError {
            #expect(error.description == "cannot write the reports: the JSON report holds a number JSON cannot represent (infinite or not a number)")
        }
        #expect(try Self.snapshot(directory) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["gradescope", "html", "junit.xml", "results.csv", "results.json"])
    }

    /// The disk fills up half-way (a 256 KB file system, and reports larger than that): the
    /// previous reports stay, whole.
    @Test(.enabled(if: geteuid() == 0, "mounting a small file system needs root"))
    func aFullDiskWhileWritingLeavesThePreviousReportsIntact() throws {
        let base = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #require(try Mount.tmpfs(at: folder, options: "size=256k"))
        defer { Mount.unmount(folder) }
        let writer = ReportWriter(directory: folder, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        try writer.write(ReportFixture.all, formats: ReportFormat.allCases)
        let before = try Self.snapshot(folder)

        let output = OutputLog(head: String(repeating: "a line of program output\n", count: 4000))
        let big = (1...4).map { ReportFixture.submission("big\($0)", stages: ReportFixture.stages([.passed]), output: output) }
        #expect(throws: CourseError.self) { try writer.write(big, formats: ReportFormat.allCases) }
        do {
            try writer.write(big, formats: ReportFormat.allCases)
        } catch let error as CourseError {
            #expect(error.description.hasSuffix(": no space left on the disk"), "\(error)")
        }
        #expect(try Self.snapshot(folder) == before)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: folder.path)).contains { $0.hasPrefix(".course-") })
    }

    /// Publishing swaps each format whole; the replaced reports leave with the staging folder,
    /// and a staging folder a killed run left behind is cleared by the next run.
    @Test func anAbandonedStagingFolderIsClearedAndNoneIsLeft() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A pid that is not running: the largest a pid can be, plus one.
        let abandoned = directory.appendingPathComponent(".course-staging-4194305-deadbeef")
        try FileManager.default.createDirectory(at: abandoned.appendingPathComponent("html"), withIntermediateDirectories: true)
        let writer = ReportWriter(directory: directory, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        try writer.write(ReportFixture.all, formats: [.html])
        try writer.write([ReportFixture.ada], formats: [.html])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("html").path).sorted() == ["ada.html", "index.html"])
    }
}

/// Mounting a small file system for a test, as root.
enum Mount {
    /// Mounts a tmpfs with `options` at `folder`; false when mounting is not allowed here.
    static func tmpfs(at folder: URL, options: String) throws -> Bool {
        let child = try ChildProcess.spawn(.init(arguments: ["/bin/mount", "-t", "tmpfs", "-o", options, "tmpfs", folder.path],
                                                 environment: ["PATH": "/usr/bin:/bin"], stdout: .null, stderr: .null))
        return child.wait() == .exited(0)
    }

    static func unmount(_ folder: URL) {
        if let child = try? ChildProcess.spawn(.init(arguments: ["/bin/umount", folder.path], environment: ["PATH": "/usr/bin:/bin"],
                                                     stdout: .null, stderr: .null)) {
            _ = child.wait()
        }
    }
}
