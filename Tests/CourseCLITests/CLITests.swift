import Foundation
import GRDB
import Testing

@Suite struct FirstRunTests {
    @Test func theFirstRunCreatesTheWorkspaceAndShowsTheRoadmap() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run([])
        #expect(result.status == 0, "\(result.stderr)")
        let flat = result.stdout.flattened
        #expect(flat.contains("Welcome! Your workspace is \(cli.workspace.path);"))
        #expect(flat.contains("1. ▶ Basics [basics · 1 min read · 16 words]: the first lesson. Exercises: echo-lines ○"))
        #expect(flat.contains("2. ○ Channels"))
        #expect(flat.contains("Next: lesson 1, Basics. Run course next (or course lesson basics)."))
        #expect(FileManager.default.fileExists(atPath: cli.progressFile.path))
        #expect(!result.stdout.contains("\u{1B}"), "no escapes when stdout is not a terminal")

        let second = try await cli.run([])
        #expect(second.status == 0)
        #expect(!second.stdout.contains("Welcome"))
        #expect(second.stdout.flattened.contains("0/3 lessons read, 0/1 exercises passed."))
    }

    @Test func theWorkspaceFlagBeatsTheEnvironmentAndTheDefaultIsInTheCourse() async throws {
        let cli = try CLIHarness()
        let flagged = cli.workspace.deletingLastPathComponent().appendingPathComponent("flagged")
        let progress = try await cli.json(["progress", "--workspace", flagged.path])
        #expect(progress["workspace"] as? String == flagged.path)
        #expect(progress["workspaceSource"] as? String == "--workspace")

        var noEnv = cli
        noEnv.environment["COURSE_WORKSPACE"] = nil
        let defaulted = try await noEnv.json(["progress"])
        #expect(defaulted["workspace"] as? String == cli.courseRoot.appendingPathComponent("workspace").path)
        #expect(defaulted["workspaceSource"] as? String == "default")

        let text = try await cli.run(["progress"])
        #expect(text.stdout.contains("Workspace  \(cli.workspace.path)  (from COURSE_WORKSPACE)"))
    }
}

@Suite struct LessonCommandTests {
    @Test func readingALessonMarksItReadOnlyAfterItIsShown() async throws {
        let cli = try CLIHarness()
        let shown = try await cli.run(["lesson", "basics"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("Basics\n══════\n"))
        #expect(shown.stdout.flattened.contains("Read Channels (lesson 2, course lesson channels) next."))
        #expect(shown.stdout.flattened.contains("Practise it: course check echo-lines"))
        let progress = try await cli.json(["progress"])
        #expect(progress["lessonsRead"] as? Int == 1)
        #expect((try await cli.json(["next"]))["exercise"] as? String == "echo-lines")

        // JSON and HTML are exports, not reading.
        _ = try await cli.run(["lesson", "channels", "--json"])
        _ = try await cli.run(["lesson", "channels", "--html"])
        #expect((try await cli.json(["progress"]))["lessonsRead"] as? Int == 1)
    }

    @Test func aReaderWhoClosesThePipeEarlyHasNotReadTheLesson() async throws {
        let cli = try CLIHarness()
        // A long lesson, so the pipe closes while course is still writing.
        let long = "# Long\n\n" + String(repeating: "Many words in a paragraph that goes on. ", count: 20000)
        try long.write(to: cli.courseRoot.appendingPathComponent("Curriculum/lessons/channels.md"), atomically: true, encoding: .utf8)
        let result = try await cli.shell("\"$COURSE\" lesson channels | head -c 100 >/dev/null; echo \"status ${PIPESTATUS:-0}\"")
        #expect(!result.stdout.contains("Fatal"), "\(result.stdout)")
        let lessons = (try await cli.json(["progress"]))["lessons"] as? [[String: Any]] ?? []
        #expect(lessons.first { $0["id"] as? String == "channels" }?["read"] as? Bool == false)
    }

    @Test func colourFollowsTheFlagAndNO_COLOR() async throws {
        let cli = try CLIHarness()
        let always = try await cli.run(["lesson", "basics", "--color", "always"])
        #expect(always.stdout.contains("\u{1B}[1m"))
        let noColor = try await cli.run(["lesson", "basics"], environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}"))
        let never = try await cli.run(["roadmap", "--color", "never"])
        #expect(!never.stdout.contains("\u{1B}"))
    }

    @Test func htmlIsWrittenByCmark() async throws {
        let cli = try CLIHarness()
        let out = cli.workspace.deletingLastPathComponent().appendingPathComponent("careers.html")
        let result = try await cli.run(["lesson", "careers", "--html", "--output", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("<title>Careers</title>"))
        #expect(html.contains("<td>₹4–8 LPA</td>"))
    }

    /// The answers to a lesson's self-check are left out of the lesson and shown, each after
    /// its question, by `--answers` (terminal, HTML and JSON); reading them is not reading
    /// the lesson.
    @Test func answersAreShownOnlyWhenAskedFor() async throws {
        let cli = try CLIHarness()
        let lesson = """
        # Channels

        Channels pass values between goroutines.

        ## Self-check

        1. Who closes a channel?
        2. What does a receive from a closed channel give?

        Try them first: `course lesson channels --answers` shows the answers.

        ## Answers

        1. The sender, once, when it has nothing more to send.
        2. The zero value at once, with `ok` false.

        """
        try lesson.write(to: cli.courseRoot.appendingPathComponent("Curriculum/lessons/channels.md"), atomically: true, encoding: .utf8)

        let plain = try await cli.run(["lesson", "channels"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Who closes a channel?"))
        #expect(!plain.stdout.contains("The sender, once"), "the lesson shows its answers:\n\(plain.stdout)")
        #expect(!plain.stdout.contains("Answers\n"))
        // A lesson without a graded exercise says so once, in the footer, not in its text.
        #expect(plain.stdout.flattened.contains("No graded exercise practises this lesson yet: its Practise section is a task you check yourself."))
        let words = ((try await cli.json(["roadmap"]))["levels"] as? [[String: Any]])?.flatMap { $0["lessons"] as? [[String: Any]] ?? [] }
            .first { $0["id"] as? String == "channels" }?["words"] as? Int
        #expect(words == 34, "the reading time counts the lesson without its answers")

        _ = try await cli.run(["reset", "channels"])
        let answers = try await cli.run(["lesson", "channels", "--answers"])
        #expect(answers.status == 0, "\(answers.stderr)")
        let flat = answers.stdout.flattened
        #expect(flat.contains("Question 1. Who closes a channel? Answer. The sender, once, when it has nothing more to send."), "\(answers.stdout)")
        #expect(flat.contains("Question 2. What does a receive from a closed channel give? Answer. The zero value at once, with ok false."))
        #expect(!flat.contains("Channels pass values"))
        let progress = (try await cli.json(["progress"]))["lessons"] as? [[String: Any]] ?? []
        #expect(progress.first { $0["id"] as? String == "channels" }?["read"] as? Bool == false)

        let out = cli.workspace.deletingLastPathComponent().appendingPathComponent("answers.html")
        let html = try await cli.run(["lesson", "channels", "--answers", "--html", "--output", out.path])
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOf: out, encoding: .utf8)
        #expect(page.contains("<title>Channels: self-check answers</title>"))
        #expect(page.contains("<strong>Answer.</strong> The sender, once"))

        let json = try await cli.json(["lesson", "channels", "--answers"])
        let pairs = json["answers"] as? [[String: Any]] ?? []
        #expect(pairs.count == 2)
        #expect(pairs.first?["question"] as? String == "Who closes a channel?")
        #expect(pairs.last?["answer"] as? String == "The zero value at once, with `ok` false.")

        // A lesson without answers says so, with its file.
        let none = try await cli.run(["lesson", "basics", "--answers"])
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("error: Curriculum/lessons/basics.md: the lesson has no ## Self-check section"), "\(none.stderr)")
    }

    @Test func lessonsResolveByNumberAndPrefix() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.run(["lesson", "3"]).stdout.hasPrefix("Careers\n"))
        #expect(try await cli.run(["lesson", "chan"]).stdout.hasPrefix("Channels\n"))
    }

    @Test func widthIsHonoured() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["roadmap", "--width", "40"])
        for line in result.stdout.split(separator: "\n") {
            #expect(line.count <= 40, "too wide: \(line)")
        }
    }
}

@Suite struct ProgressAndResetTests {
    @Test func resetOneLessonKeepsABackup() async throws {
        let cli = try CLIHarness()
        _ = try await cli.run(["lesson", "basics"])
        _ = try await cli.run(["lesson", "channels"])
        let reset = try await cli.run(["reset", "basics"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("Reset lesson basics. The previous progress is saved in \(cli.workspace.path)/backups/"))
        #expect((try await cli.json(["progress"]))["lessonsRead"] as? Int == 1)
    }

    @Test func resettingEverythingNeedsConfirmationWithoutATerminal() async throws {
        let cli = try CLIHarness()
        _ = try await cli.run(["lesson", "basics"])
        let refused = try await cli.run(["reset"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("course reset --yes"))
        #expect((try await cli.json(["progress"]))["lessonsRead"] as? Int == 1)
        let done = try await cli.json(["reset", "--yes"])
        #expect(done["reset"] as? String == "all progress")
        #expect((try await cli.json(["progress"]))["lessonsRead"] as? Int == 0)
    }

    @Test func roadmapJSONHasEveryLessonAndItsStatus() async throws {
        let cli = try CLIHarness()
        _ = try await cli.run(["lesson", "basics"])
        let roadmap = try await cli.json(["roadmap"])
        let levels = roadmap["levels"] as? [[String: Any]] ?? []
        #expect(levels.map { $0["name"] as? String } == ["Beginner", "Advanced"])
        let first = (levels.first?["lessons"] as? [[String: Any]])?.first
        #expect(first?["read"] as? Bool == true)
        #expect((first?["exercises"] as? [[String: Any]])?.first?["status"] as? String == "new")
        #expect(roadmap["next"] as? String == "exercise:echo-lines")
    }

    /// Two `course` processes at once, each reading the same lesson many times: every
    /// read is counted, none fails.
    @Test func twoProcessesWritingAtOnceLoseNothing() async throws {
        let cli = try CLIHarness()
        _ = try await cli.run([])
        let loop = "for i in $(seq 15); do \"$COURSE\" lesson basics >/dev/null || echo FAIL; done"
        let first = try cli.start(loop)
        let second = try cli.start(loop)
        for result in [try await first.finish(), try await second.finish()] {
            #expect(!result.stdout.contains("FAIL"), "\(result.stdout)")
        }
        let db = try DatabaseQueue(path: cli.progressFile.path)
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT read_count FROM lesson_progress WHERE lesson_id = 'basics'") } == 30)
    }
}

@Suite struct BadInputTests {
    @Test func anUnknownLessonSuggestsTheNearest() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["lesson", "chanels"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: unknown lesson 'chanels'\n  hint: did you mean 'channels'? `course roadmap` lists them all\n")
    }

    @Test func aRoadmapLinkToAMissingFileNamesTheLine() async throws {
        let cli = try CLIHarness()
        try FileManager.default.removeItem(at: cli.courseRoot.appendingPathComponent("Curriculum/lessons/channels.md"))
        let result = try await cli.run(["roadmap"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: Curriculum/ROADMAP.md:9: lesson 'Channels' links to lessons/channels.md, which does not exist"))
    }

    @Test func anUnknownExerciseInTheRoadmapIsReported() async throws {
        let cli = try CLIHarness()
        let roadmap = cli.courseRoot.appendingPathComponent("Curriculum/ROADMAP.md")
        let text = try String(contentsOf: roadmap, encoding: .utf8).replacingOccurrences(of: "`echo-lines`", with: "`echo-line`")
        try text.write(to: roadmap, atomically: true, encoding: .utf8)
        let result = try await cli.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Curriculum/ROADMAP.md:7: lesson 'basics' names exercise 'echo-line', but Exercises/echo-line/ does not exist"))
        #expect(result.stderr.contains("did you mean 'echo-lines'?"))
    }

    @Test func aLessonWithInvalidUTF8NamesFileAndLine() async throws {
        let cli = try CLIHarness()
        var bytes = Array("# Channels\n\nline two\nline \u{00}four\n".utf8)
        bytes[bytes.firstIndex(of: 0)!] = 0xFE
        try Data(bytes).write(to: cli.courseRoot.appendingPathComponent("Curriculum/lessons/channels.md"))
        let result = try await cli.run(["lesson", "channels"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: Curriculum/lessons/channels.md:4: not valid UTF-8"))
    }

    @Test func aCorruptProgressDatabaseIsKeptAndExplained() async throws {
        let cli = try CLIHarness()
        try FileManager.default.createDirectory(at: cli.workspace, withIntermediateDirectories: true)
        let garbage = Data(String(repeating: "not a database ", count: 500).utf8)
        try garbage.write(to: cli.progressFile)
        let result = try await cli.run(["progress"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(cli.progressFile.path): cannot open the progress database"))
        #expect(result.stderr.contains("a copy is at \(cli.progressFile.path).damaged-"))
        #expect(try Data(contentsOf: cli.progressFile) == garbage)
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func usageErrorsExitWithTwoAndHelpWithZero() async throws {
        let cli = try CLIHarness()
        let bad = try await cli.run(["lesson", "--no-such-flag"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("Unknown option '--no-such-flag'"))
        let help = try await cli.run(["lesson", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: course lesson"))
        let width = try await cli.run(["roadmap", "--width", "5"])
        #expect(width.status == 2)
    }

    @Test func aMissingCourseIsExplained() async throws {
        var cli = try CLIHarness()
        cli.environment["COURSE_ROOT"] = "/nonexistent-course"
        let result = try await cli.run(["roadmap"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Curriculum/ROADMAP.md: file does not exist"))
    }

    @Test func shellCompletionIsGenerated() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("lesson"))
        #expect(result.stdout.contains("roadmap"))
    }
}

extension String {
    /// Whitespace runs as single spaces, so assertions do not depend on where text wraps.
    var flattened: String {
        split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }
}
