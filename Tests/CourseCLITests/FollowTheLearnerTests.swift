import Foundation
import Grading
import Testing

/// Commands that follow the learner: without an exercise name, `check`, `hint` and `watch`
/// take the exercise of the folder they stand in, else the one checked last (until it
/// passes), else the roadmap's next; messages name the command the way the learner runs it;
/// `reset` says what it did with their code.
@Suite struct FollowTheLearnerTests {
    func hintExercise(_ cli: CLIHarness, in directory: URL? = nil) async throws -> String {
        let json = try await cli.json(["hint"], directory: directory)
        if let exercise = json["exercise"] as? String { return exercise }
        // "There are no hints for stage 1, *One line*, of `echo-server`."
        let message = json["message"] as? String ?? ""
        return message.split(separator: "`").dropFirst().first.map(String.init) ?? message
    }

    @Test func theFolderYouStandInThenTheExerciseYouCheckedLast() async throws {
        let cli = try CLIHarness()
        #expect(try await hintExercise(cli) == "echo-lines", "nothing checked yet: the roadmap's next exercise")

        let failed = try await cli.run(["check", "echo-server", "--stage", "1", "--color", "never"])
        #expect(failed.status == 1, "the starter fails: \(failed.stdout)")
        #expect(try await hintExercise(cli) == "echo-server", "after failing echo-server, plain hint is about echo-server")
        let again = try await cli.run(["check", "--stage", "1", "--color", "never"])
        #expect(again.stdout.hasPrefix("Echo server (echo-server)"), "plain check re-runs echo-server: \(again.stdout)")

        // Standing in the workspace folder of another exercise: that one.
        let folder = cli.workspace.appendingPathComponent("echo-lines")
        let inside = folder.appendingPathComponent("internal")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        try Data(contentsOf: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/starter/go/main.go"))
            .write(to: folder.appendingPathComponent("main.go"))
        #expect(try await hintExercise(cli, in: inside) == "echo-lines", "a folder below the exercise's counts too")
        let here = try await cli.run(["check", "--stage", "1", "--color", "never"], directory: folder)
        #expect(here.stdout.hasPrefix("Echo lines (echo-lines)"), "\(here.stdout)")
        #expect(here.stdout.contains(folder.path), "the code of the folder is checked: \(here.stdout)")

        // watch, from the folder too.
        let watch = try WatchSession(cli, ["--stage", "1"], directory: folder)
        try await Blocking.run { try watch.waitFor("Waiting for changes…") }
        #expect(watch.output.contains("Echo lines (echo-lines)"), "\(watch.output)")
        watch.send("q\n")
        #expect(await Blocking.run { watch.exit(within: 10) } == .exited(0))

        // Once the exercise checked last passes, plain commands move on along the roadmap.
        let solution = cli.courseRoot.appendingPathComponent("Exercises/echo-server/solution/go")
        #expect(try await cli.run(["check", "echo-server", "--dir", solution.path]).status == 0)
        #expect(try await hintExercise(cli) == "echo-lines", "echo-server passed: the roadmap's next")
    }

    @Test func messagesNameTheCommandTheWayTheLearnerRunsIt() async throws {
        var cli = try CLIHarness()
        let plain = try await cli.run(["check", "echo-lines", "--stage", "1", "--color", "never"])
        #expect(plain.stdout.contains("Fix it and run `course check` again; `course hint` helps"), "\(plain.stdout)")

        cli.environment["COURSE_COMMAND"] = "./course"
        let home = try await cli.run(["--color", "never"])
        #expect(home.stdout.flattened.contains("Run ./course next (or ./course lesson basics)."), "\(home.stdout)")
        let check = try await cli.run(["check", "echo-lines", "--stage", "1", "--color", "never"])
        #expect(check.stdout.contains("Fix it and run `./course check` again; `./course hint` helps if you are stuck."), "\(check.stdout)")
        let refused = try await cli.run(["reset"])
        #expect(refused.stderr.contains("`./course reset --yes`"), "an error's hint names it too: \(refused.stderr)")

        // The lesson's footer: what to practise and what to read next, each on its own line.
        let lesson = try await cli.run(["lesson", "basics", "--no-pager", "--color", "never"])
        #expect(lesson.stdout.contains("Practise it: ./course check echo-lines.\nNext lesson: ./course lesson channels."), "\(lesson.stdout)")
    }

    @Test func resetKeepsTheCodeAndSaysHowToStartFromTheStarter() async throws {
        let cli = try CLIHarness()
        #expect(try await cli.run(["check", "echo-lines", "--stage", "1"]).status == 1)
        let main = cli.workspace.appendingPathComponent("echo-lines/main.go")
        let starter = try String(contentsOf: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/starter/go/main.go"), encoding: .utf8)
        try (starter + "// my own line\n").write(to: main, atomically: true, encoding: .utf8)

        let reset = try await cli.run(["reset", "echo-lines"])
        reset.expectSuccess()
        #expect(reset.stdout.contains("Your code in \(cli.workspace.path)/echo-lines was kept."), "\(reset.stdout)")
        #expect(reset.stdout.contains("`course reset echo-lines --starter`"), "\(reset.stdout)")
        #expect(try String(contentsOf: main, encoding: .utf8).hasSuffix("// my own line\n"))

        let fresh = try await cli.json(["reset", "echo-lines", "--starter"])
        #expect(try String(contentsOf: main, encoding: .utf8) == starter, "the starter is back")
        let moved = try #require(fresh["codeBackup"] as? String)
        #expect(moved.hasPrefix(cli.workspace.path + "/backups/echo-lines-"), "\(fresh)")
        #expect(try String(contentsOfFile: moved + "/main.go", encoding: .utf8).hasSuffix("// my own line\n"), "the code is moved, never deleted")

        #expect(try await cli.run(["reset", "basics", "--starter"]).status == 2, "a lesson has no starter")
        #expect(try await cli.run(["reset", "--starter"]).status == 2, "--starter needs an exercise")
    }

    @Test func anExercisesLinksToLessonsShowTheLessonNotAPath() async throws {
        let cli = try CLIHarness()
        let readme = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        try (text + "\nLesson: [Basics](../../Curriculum/lessons/basics.md). Then [the echo server](../echo-server/README.md).\n")
            .write(to: readme, atomically: true, encoding: .utf8)
        try await cli.run(["lesson", "basics", "--no-pager"]).expectSuccess()
        let next = try await cli.run(["next", "--no-pager", "--color", "never"])
        next.expectSuccess()
        #expect(next.stdout.flattened.contains("Lesson: Basics (lesson 1, course lesson basics)."), "\(next.stdout)")
        #expect(next.stdout.flattened.contains("the echo server (the exercise echo-server)"), "\(next.stdout)")
        #expect(!next.stdout.contains("../../Curriculum"), "\(next.stdout)")
    }
}
