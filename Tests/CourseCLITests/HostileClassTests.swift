import Foundation
import Grading
import Testing

/// A class built to attack the grader's own code (which runs as root, outside the sandbox),
/// graded sandboxed: a `course.yaml` linked to a root-only file with a marker, a starter
/// whose `learner:` claims another student's name, folder names with terminal escapes and a
/// newline, a FIFO, and a folder and learner named `-h`. The marker appears nowhere (reports,
/// gradebook, terminal), every student keeps their own slot whatever the order, the FIFO is
/// refused at once, nothing printed carries a control byte, and a submission that could not
/// be graded scores 0 of the exercise's points with its reason.
@Suite(.serialized) struct HostileClassTests {
    @Test func aHostileClassCannotReachTheGradersFilesOrTerminalOrOthersSlots() async throws {
        let cli = try CLIHarness()
        let base = cli.courseRoot.deletingLastPathComponent()
        let subs = base.appendingPathComponent("class")
        let marker = "ROOTONLY\(UUID().uuidString.prefix(8))"
        let solution = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go")
        let starter = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/starter/go")

        // A root-only file: the link below points at it.
        let secrets = base.appendingPathComponent("root-only")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let secret = secrets.appendingPathComponent("shadow")
        try "\(marker):$6$salt$hash:19000:0:99999:7:::\n".write(to: secret, atomically: true, encoding: .utf8)
        chmod(secret.path, 0o600)
        chmod(secrets.path, 0o700)

        func copy(_ from: URL, _ name: String) throws -> URL {
            let folder = subs.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: subs, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: from, to: folder)
            return folder
        }
        let studentA = try copy(solution, "student-a")
        let spoof = try copy(starter, "starter")
        try "learner: student-a\n".write(to: spoof.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        let linked = try copy(solution, "linked")
        try FileManager.default.createSymbolicLink(atPath: linked.appendingPathComponent("course.yaml").path, withDestinationPath: secret.path)
        let escapes = try copy(solution, "evil\u{1B}[2J\u{1B}]0;pwned\u{07}name")
        let newline = try copy(solution, "two\nlines")
        let fifo = try copy(solution, "fifo")
        #expect(mkfifo(fifo.appendingPathComponent("pipe").path, 0o644) == 0)
        let dash = try copy(solution, "-h")
        try "learner: \"-h\"\n".write(to: dash.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        let folders = [studentA, spoof, linked, escapes, newline, fifo, dash]

        let reports = base.appendingPathComponent("report")
        func grade(_ order: [URL]) async throws -> CLIHarness.Result {
            let result = try await cli.run(["grade", "echo-lines"] + order.map(\.path)
                                     + ["--jobs", "2", "--report-dir", reports.path, "--seed", "5", "--require-sandbox"])
            #expect(result.status == 0, "\(result.stderr)")
            return result
        }
        let first = try await grade(folders)

        // Nothing printed carries a control byte but the line ends.
        for (name, text) in [("stdout", first.stdout), ("stderr", first.stderr)] {
            let controls = text.unicodeScalars.filter { $0.properties.generalCategory == .control && $0 != "\n" }
            #expect(controls.isEmpty, "\(name) carries control bytes \(controls.map { String($0.value, radix: 16) }): \(text)")
        }
        // The marker is nowhere: not in the terminal output, a report or the gradebook.
        #expect(!(first.stdout + first.stderr).contains(marker))
        let files = FileManager.default.enumerator(at: reports, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(marker.utf8)) == nil, "the root-only marker is in \(file.path)")
        }

        // Each result: who, and why.
        let book = try Gradebook(url: reports.appendingPathComponent("gradebook.sqlite"))
        let results = Dictionary(uniqueKeysWithValues: try book.results(exercise: "echo-lines").map { ($0.path, $0) })
        #expect(results.count == folders.count)
        #expect(results[studentA.path]?.passed == true)
        #expect(results[spoof.path]?.passed == false && results[spoof.path]?.learner == "student-a", "the label is kept, beside its folder")
        for (folder, why) in [(linked, "course.yaml"), (fifo, "FIFO")] {
            let result = try #require(results[folder.path])
            #expect(result.summary.hasPrefix("could not be graded:") && result.summary.contains(why), "\(result.summary)")
            #expect(result.score == 0 && result.maxScore == 10, "scored 0 of the exercise's 10 points: \(result.score)/\(result.maxScore)")
        }
        #expect(try #require(results[fifo.path]).durationSeconds < 1, "the FIFO is refused at once")
        #expect(results[dash.path]?.passed == true, "a folder and learner named -h are graded like any other: \(results[dash.path]?.summary ?? "")")
        #expect(results[escapes.path]?.passed == true && results[newline.path]?.passed == true)

        // Slots come from folders and stay put whatever the order.
        /// Each Gradescope slot's score.
        func slots() throws -> [String: Double] {
            let root = reports.appendingPathComponent("gradescope")
            var scores: [String: Double] = [:]
            for slot in try FileManager.default.contentsOfDirectory(atPath: root.path) {
                let json = try Data(contentsOf: root.appendingPathComponent("\(slot)/results.json"))
                scores[slot] = (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["score"] as? Double
            }
            return scores
        }
        let before = try slots()
        #expect(before.count == folders.count)
        #expect(before["student-a"] == 10 && before["starter"] == 0, "the real student-a keeps her slot: \(before)")
        _ = try await grade(folders.reversed())
        let after = try slots()
        #expect(Set(after.keys) == Set(before.keys), "slots moved: \(before.keys.sorted()) → \(after.keys.sorted())")
        #expect(after["student-a"] == before["student-a"] && after["starter"] == before["starter"])
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}

/// The program owns its work folder while it runs and may leave a link where the grader
/// keeps its data folder; the grader (root) empties that folder before a fresh start
/// (`--all-stages`) and must remove the link, never what it points at.
@Suite(.serialized) struct PlantedLinkTests {
    @Test func aLinkPlantedAsTheDataFolderIsRemovedNotFollowed() async throws {
        let cli = try CLIHarness()
        let base = cli.courseRoot.deletingLastPathComponent()
        let outside = base.appendingPathComponent("instructor-files")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let canary = outside.appendingPathComponent("grades.xlsx")
        try "keep me".write(to: canary, atomically: true, encoding: .utf8)
        let folder = base.appendingPathComponent("subs/planter")
        // Fails every stage (prints nothing), after pointing .course-data at the folder above.
        try GradeCommandTests.script("rm -rf .course-data; ln -sfn \(outside.path) .course-data; cat >/dev/null\n", in: folder)
        for sandbox in ["--require-sandbox", "--no-sandbox"] {
            let result = try await cli.run(["grade", "echo-lines", folder.path, "--all-stages", sandbox,
                                      "--report-dir", base.appendingPathComponent("report\(sandbox)").path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: canary.path), "the grader followed the planted link (\(sandbox))")
        }
    }
}
