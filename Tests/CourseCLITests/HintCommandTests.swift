import Foundation
import Testing

/// `course hint`: one more hint each time for the stage the learner is stuck on, counted in
/// the progress file, until there are none left; a broken HINTS.md is an input error.
@Suite struct HintCommandTests {
    /// Passes stage 1 (echo) and fails stage 2 (edges): it drops empty lines.
    static let skipsEmptyLines = """
        package main

        import (
        \t"bufio"
        \t"fmt"
        \t"os"
        )

        func main() {
        \tscanner := bufio.NewScanner(os.Stdin)
        \tfor scanner.Scan() {
        \t\tif scanner.Text() != "" {
        \t\t\tfmt.Println(scanner.Text())
        \t\t}
        \t}
        }
        """

    @Test func eachAskShowsOneMoreHintUntilThereAreNoMore() async throws {
        let cli = try CLIHarness()
        let first = try await cli.run(["hint", "echo-lines", "--color", "never"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Hints: stage 1, Echo (echo-lines)"), "before any check: stage 1. \(first.stdout)")
        #expect(first.stdout.contains("Hint 1 of 2"))
        #expect(first.stdout.contains("Your program has to read what is sent to it"))
        #expect(!first.stdout.contains("Hint 2 of 2"))
        #expect(first.stdout.contains("1 more: run course hint echo-lines again"))

        let second = try await cli.run(["hint", "echo-lines", "--color", "never"])
        #expect(second.stdout.contains("Hint 1 of 2") && second.stdout.contains("Hint 2 of 2"), "\(second.stdout)")
        #expect(second.stdout.contains("scanner := bufio.NewScanner(os.Stdin)"), "code blocks are rendered")
        #expect(second.stdout.contains("That was the last hint for this stage."))

        let third = try await cli.run(["hint", "echo-lines", "--color", "never"])
        #expect(third.status == 0)
        #expect(third.stdout.contains("No more hints for this stage: you have seen all 2."), "\(third.stdout)")
        #expect(third.stdout.contains("Hint 2 of 2"), "the hints seen are still shown")

        let json = try await cli.json(["hint", "echo-lines"])
        #expect(json["shown"] as? Int == 2 && json["total"] as? Int == 2 && json["revealed"] as? Bool == false, "\(json)")
    }

    @Test func theHintsAreForTheStageTheLatestCheckFailedAt() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.skipsEmptyLines.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        try await cli.run(["hint", "echo-lines"]).expectSuccess()
        let check = try await cli.run(["check", "echo-lines", "--dir", folder.path, "--color", "never"])
        #expect(check.status == 1 && check.stdout.contains("✘ empty lines"), "\(check.stdout)")

        let hint = try await cli.run(["hint", "--color", "never"])
        #expect(hint.stdout.contains("Hints: stage 2, Edge cases (echo-lines)"), "\(hint.stdout)")
        #expect(hint.stdout.contains("Hint 1 of 3"))
        #expect(hint.stdout.contains("An empty line is a line too"))
        #expect(!hint.stdout.contains("Hint 2 of 3"), "stage 2 counts its own hints, not stage 1's")

        let json = try await cli.json(["hint", "echo-lines"])
        #expect(json["stageID"] as? String == "edges" && json["shown"] as? Int == 2, "\(json)")

        try await cli.run(["reset", "echo-lines"]).expectSuccess()
        let afterReset = try await cli.json(["hint", "echo-lines"])
        #expect(afterReset["stage"] as? Int == 1 && afterReset["shown"] as? Int == 1, "reset forgets hints too: \(afterReset)")
    }

    /// A section for the check that failed comes before the stage's hints, and counts its
    /// reveals apart from them.
    @Test func hintsForTheCheckThatFailedComeFirst() async throws {
        let cli = try CLIHarness()
        let hints = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/HINTS.md")
        let text = try String(contentsOf: hints, encoding: .utf8)
        try (text + "\n## edges/empty-lines\n\nYour program skips the empty line of the input.\n")
            .write(to: hints, atomically: true, encoding: .utf8)
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.skipsEmptyLines.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        #expect(try await cli.run(["check", "echo-lines", "--dir", folder.path]).status == 1)

        let hint = try await cli.run(["hint", "--color", "never"])
        #expect(hint.stdout.contains("Your latest check failed at empty lines; the first hints are about that check."), "\(hint.stdout)")
        #expect(hint.stdout.contains("Hint 1 of 4\n\nYour program skips the empty line of the input."), "\(hint.stdout)")
        let json = try await cli.json(["hint"])
        #expect(json["failedCheck"] as? String == "empty-lines" && json["section"] as? String == "edges/empty-lines", "\(json)")
        #expect((json["hints"] as? [String])?.last?.hasPrefix("An empty line is a line too") == true, "then the stage's: \(json)")
    }

    @Test func anUnknownStageInHintsIsAnErrorWithFileAndLine() async throws {
        let cli = try CLIHarness()
        let hints = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/HINTS.md")
        try "# Hints\n\n## echo\n\nRead stdin.\n\n## edge\n\nEmpty lines.\n".write(to: hints, atomically: true, encoding: .utf8)
        let result = try await cli.run(["hint", "echo-lines"])
        #expect(result.status == 2, "an input error: \(result.stdout)")
        #expect(result.stderr.contains("Exercises/echo-lines/HINTS.md:7: no stage 'edge' in this exercise"), "\(result.stderr)")
        #expect(result.stderr.contains("the stages are: echo, edges, large"))
    }

    @Test func anExerciseWithoutHintsSaysSo() async throws {
        let cli = try CLIHarness()
        try FileManager.default.removeItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/HINTS.md"))
        let result = try await cli.run(["hint", "echo-lines", "--color", "never"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("There are no hints for stage 1, Echo, of echo-lines."), "\(result.stdout)")
    }
}

/// `course solution`: refused (exit 1) until the exercise is passed, then every file of the
/// sample solution under a heading naming it.
@Suite struct SolutionCommandTests {
    @Test func theSolutionIsRefusedBeforeAPassAndShownAfter() async throws {
        let cli = try CLIHarness()
        let never = try await cli.run(["solution", "echo-lines"])
        #expect(never.status == 1, "\(never.stdout)\(never.stderr)")
        #expect(never.stderr.contains("you have not checked it yet (0 of 3 stages passed)"), "\(never.stderr)")
        #expect(never.stdout.isEmpty)

        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try HintCommandTests.skipsEmptyLines.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        #expect(try await cli.run(["check", "echo-lines", "--dir", folder.path]).status == 1)
        let stuck = try await cli.run(["solution", "echo-lines"])
        #expect(stuck.status == 1)
        #expect(stuck.stderr.contains("your best check passed 1 of 3 stages"), "\(stuck.stderr)")
        #expect(stuck.stderr.contains("`course hint echo-lines`"))

        let solution = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go")
        // A pass of stage 1 alone (--stage) is not a pass of the exercise.
        #expect(try await cli.run(["check", "echo-lines", "--dir", solution.path, "--stage", "1"]).status == 0)
        #expect(try await cli.run(["solution", "echo-lines"]).status == 1)

        #expect(try await cli.run(["check", "echo-lines", "--dir", solution.path]).status == 0)
        let shown = try await cli.run(["solution", "echo-lines", "--color", "never"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Sample solution: Echo lines"))
        #expect(shown.stdout.contains("main.go\n───────"), "a heading names the file: \(shown.stdout)")
        #expect(shown.stdout.contains("in := bufio.NewReader(os.Stdin)"))

        let path = try await cli.run(["solution", "echo-lines", "--path"])
        #expect(path.stdout == solution.path + "\n")

        let hint = try await cli.run(["hint", "echo-lines", "--color", "never"])
        #expect(hint.stdout.contains("You have passed echo-lines. course solution echo-lines"), "\(hint.stdout)")
    }

    @Test func anUnknownExerciseIsAUsageError() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["solution", "echo-line"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'echo-lines'?"))
    }
}

extension CLIHarness.Result {
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "exit \(status): \(stdout)\(stderr)", sourceLocation: sourceLocation)
    }
}
