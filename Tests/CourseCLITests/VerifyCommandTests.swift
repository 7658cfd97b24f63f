import Foundation
import Testing

/// `course verify`: the fixture course's solutions and references pass, its starters fail
/// stage 1, its mutants are caught; a mutant the checks miss makes it fail, by name.
@Suite(.serialized) struct VerifyCommandTests {
    @Test func theFixtureCourseVerifies() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["verify", "--color", "never"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for variant in ["echo-lines   solution:", "echo-lines   starter:", "echo-lines   mutant trims-spaces:",
                        "echo-lines   mutant stops-at-empty-line:", "echo-lines   mutant drops-unterminated-line:",
                        "echo-server  solution:", "echo-server  starter:", "echo-server  reference:",
                        "echo-lines   mutant prints-banner:", "echo-lines   mutant short-buffer:", "echo-lines   coverage:",
                        "echo-server  mutant first-line-only:", "echo-server  mutant uppercase:", "echo-server  mutant serial:",
                        "echo-server  mutant stale-lock-file:", "echo-server  coverage:",
                        "tally        solution:", "tally        starter:", "tally        mutant counts-locally:",
                        "tally        mutant connection-per-word:", "tally        mutant ignores-address:", "tally        coverage:"] {
            #expect(lines.contains { $0.hasPrefix("✔ \(variant)") }, "no passing line for \(variant): \(result.stdout)")
        }
        #expect(result.stdout.contains("All 24 variants behave as they must."), "\(result.stdout)")
        #expect(result.stdout.contains("✔ echo-lines   coverage: each of the 7 checks fails on at least one of the 7 mutants"), "\(result.stdout)")
        // A restart that fails is a catch; only a program never ready at all proves nothing.
        #expect(result.stdout.contains("mutant stale-lock-file: Writes a lock file when it starts, never removes it, and refuses to start while it exists — caught by stage 3 'Restart'"),
                "\(result.stdout)")
        #expect(result.stdout.contains("caught by stage 1 'One line'"), "the uppercase mutant is caught at once: \(result.stdout)")
        #expect(Self.leftovers(cli).isEmpty, "left running: \(Self.leftovers(cli))")
    }

    @Test func aMutantTheChecksMissFailsVerifyByName() async throws {
        let cli = try CLIHarness()
        let exercise = cli.courseRoot.appendingPathComponent("Exercises/echo-server")
        let mutant = exercise.appendingPathComponent("mutants/uppercase/main.go")
        try FileManager.default.removeItem(at: mutant)
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("solution/go/main.go"), to: mutant)
        let undescribed = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/mutants/undescribed")
        try FileManager.default.createDirectory(at: undescribed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go/main.go"),
                                         to: undescribed.appendingPathComponent("main.go"))

        let result = try await cli.run(["verify", "echo-server", "--color", "never"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("✘ echo-server  mutant uppercase: passes every check, so the checks miss what it breaks: Answers every line in upper case"),
                "\(result.stdout)")
        #expect(result.stdout.contains("✔ echo-server  solution:"), "the rest still verifies: \(result.stdout)")
        // The uppercase mutant was the only one stage 1's check caught: now nothing shows it works.
        #expect(result.stdout.contains("✘ echo-server  coverage: 1 of 5 checks fail on no mutant, so nothing shows they catch a mistake: connect/one-line"),
                "\(result.stdout)")
        #expect(result.stdout.contains("2 of 8 variants are wrong."), "\(result.stdout)")
        #expect(!result.stdout.contains("echo-lines"), "only the exercise asked for is verified")

        let lines = try await cli.json(["verify", "echo-lines"], allowFailure: true)
        let wrong = lines.filter { $0["ok"] as? Bool == false }
        #expect(wrong.count == 1 && wrong.first?["name"] as? String == "undescribed", "\(lines)")
        #expect((wrong.first?["reason"] as? String)?.contains("add a one-line mutants/undescribed/MUTANT.md") == true, "\(wrong)")
        #expect(Self.leftovers(cli).isEmpty, "left running: \(Self.leftovers(cli))")
    }

    @Test func anUnknownExerciseIsAnInputError() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["verify", "echo-sever"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'echo-server'"), "\(result.stderr)")
    }

    /// Programs still running from this test's course copy (their work folders are
    /// elsewhere, so look for what the course copy's Go binaries would be called too).
    static func leftovers(_ cli: CLIHarness) -> [String] {
        cli.processesLeft + GradeCommandTests.leftoverCgroups()
    }
}

extension CLIHarness {
    /// `course ARGS --json` parsed as an array, whatever the exit status.
    func json(_ arguments: [String], allowFailure: Bool) async throws -> [[String: Any]] {
        let result = try await run(arguments + ["--json"])
        guard allowFailure || result.status == 0 else { throw CLIError("exit \(result.status): \(result.stderr)") }
        guard let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw CLIError("not a JSON array: \(result.stdout)")
        }
        return array
    }
}
