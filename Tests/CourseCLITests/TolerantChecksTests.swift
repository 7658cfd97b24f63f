import Foundation
import Testing

/// The users-API checks accept what the contract leaves open. Mutants prove the checks
/// strict enough; these prove them not stricter, with correct servers written another way.
@Suite(.serialized) struct TolerantChecksTests {
    static let fixtures = CLIHarness.fixtureCourse.deletingLastPathComponent()

    /// `Fixtures/quirky-users-api`, the sample solution with only its responses changed: a
    /// charset on the media type, keys in another order, extra fields, indented JSON and a
    /// chunked body.
    @Test func aServerThatDiffersOnlyWhereTheContractIsSilentPasses() async throws {
        try await expectPasses(folder: "quirky-users-api", exercise: "users-api", summary: "Passed: 5/5 stages, 20/20 points.")
    }

    /// `Fixtures/other-readings-users`, written from scratch, takes the other reading of every
    /// point the READMEs leave open (404 for ids -1 and 0, ids from 1001 in steps of 10,
    /// lower-case header names, two Allow lines, errors with extra members, leeway on exp,
    /// …; the list is at the top of its main.go) and passes every stage of the three
    /// exercises it serves.
    @Test(arguments: [
        ("hello-users", "Passed: 3/3 stages, 10/10 points."),
        ("users-api", "Passed: 5/5 stages, 20/20 points."),
        ("users-auth", "Passed: 4/4 stages, 15/15 points."),
    ])
    func aServerTakingTheOtherReadingsPasses(exercise: String, summary: String) async throws {
        try await expectPasses(folder: "other-readings-users", exercise: exercise, summary: summary)
    }

    /// `Fixtures/gin-users-api`: users-api on gin, whose router decides what is an unknown
    /// path (404) or a wrong method (405, with `HandleMethodNotAllowed` and an Allow set in
    /// `NoMethod`) before any handler runs; built from Debian's gin in GOPATH mode.
    @Test func aServerOnAnotherRouterPasses() async throws {
        try await expectPasses(folder: "gin-users-api", exercise: "users-api", summary: "Passed: 5/5 stages, 20/20 points.")
    }

    /// `Fixtures/write-through-cache-aside`: cache-aside with the other choices its README
    /// allows: one mutex-guarded connection dialled again after an error instead of a pool,
    /// its own key names, SETEX and UNLINK, write-through on update (the new user is SET,
    /// which the read-during-update check must accept), and cached "not found" markers that
    /// a create clears.
    @Test func aCacheAsideMakingOtherChoicesPasses() async throws {
        try await expectPasses(folder: "write-through-cache-aside", exercise: "cache-aside", summary: "Passed: 6/6 stages, 13/13 points.")
    }

    func expectPasses(folder: String, exercise: String, summary: String) async throws {
        let cli = try CLIHarness()
        let server = Self.fixtures.appendingPathComponent(folder)
        let result = try await cli.run(["check", exercise, "--dir", server.path, "--color", "never"],
                                 environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(summary), "\(result.stdout)")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
