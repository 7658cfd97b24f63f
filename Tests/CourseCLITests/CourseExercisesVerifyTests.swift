import Foundation
import Testing

/// `course verify` on the course's own exercises (not the fixture): every sample solution and
/// reference passes, every starter fails stage 1 with a message, every mutant is caught, and
/// every check fails on at least one mutant. This is what makes a check trustworthy.
@Suite(.serialized) struct CourseExercisesVerifyTests {
    @Test func everyExerciseOfTheCourseVerifies() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["verify", "--color", "never"], environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let exercises = try FileManager.default.contentsOfDirectory(atPath: CLIHarness.repositoryRoot.appendingPathComponent("Exercises").path)
            .filter { !$0.hasPrefix(".") }
        #expect(!exercises.isEmpty)
        for id in exercises {
            for variant in ["solution:", "starter:", "coverage:"] {
                #expect(lines.contains { $0.hasPrefix("✔ \(id) ") && $0.contains(" \(variant) ") }, "\(id) \(variant) is not ✔: \(result.stdout)")
            }
        }
        #expect(lines.filter { $0.hasPrefix("✘") }.isEmpty, "\(result.stdout)")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
