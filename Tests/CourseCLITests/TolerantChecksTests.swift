import Foundation
import Testing

/// The users-API checks accept what the contract leaves open: a server that answers with a
/// charset on the media type, keys in another order, extra fields, indented JSON and a
/// chunked body (`Fixtures/quirky-users-api`, the sample solution with only that changed)
/// passes every stage. Mutants prove the checks strict enough; this proves them not stricter.
@Suite struct TolerantChecksTests {
    @Test func aServerThatDiffersOnlyWhereTheContractIsSilentPasses() throws {
        let cli = try CLIHarness()
        let quirky = CLIHarness.fixtureCourse.deletingLastPathComponent().appendingPathComponent("quirky-users-api")
        let result = try cli.run(["check", "users-api", "--dir", quirky.path, "--color", "never"],
                                 environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Passed: 5/5 stages, 20/20 points."), "\(result.stdout)")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
