import Foundation
import Grading
import Testing
import UsersAPIPiece

/// The users-tests exercise's parts agree: its package is users-api's, and its stages hold
/// every users-api mutant as a bug (the grading itself is proved by `TestWritingTests`).
@Suite struct TestWritingBugsTests {
    static let exercises = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Exercises")
    static let exercise = exercises.appendingPathComponent("users-tests")

    /// The correct package the learner tests is users-api's sample solution, file for file,
    /// so the users-api mutants lay over it; and every users-api mutant is a bug of a stage.
    @Test func thePackageIsTheUsersAPISolutionAndEveryMutantIsABug() throws {
        let api = Self.exercises.appendingPathComponent("users-api")
        for kind in ["solution/go", "starter/go"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: api.appendingPathComponent("solution/go").path) where name.hasSuffix(".go") {
                let original = try String(contentsOf: api.appendingPathComponent("solution/go/\(name)"), encoding: .utf8)
                let copy = try String(contentsOf: Self.exercise.appendingPathComponent("\(kind)/\(name)"), encoding: .utf8)
                #expect(original == copy, "users-tests/\(kind)/\(name) differs from users-api/solution/go/\(name)")
            }
        }
        let mutants = try FileManager.default.contentsOfDirectory(atPath: api.appendingPathComponent("mutants").path).filter { !$0.hasPrefix(".") }
        #expect(mutants.count == 21)
        let manifest = try ExerciseManifest.load(folder: Self.exercise)
        let registry = PieceRegistry([UsersAPI.piece])
        let stages = try #require(registry.suite("users-tests")).stages(for: manifest)
        let bugChecks = manifest.stages.dropFirst().flatMap { stages[$0.id] ?? [] }
        #expect(bugChecks.count == mutants.count, "\(bugChecks.map(\.id)) vs \(mutants.sorted())")
    }

    /// A bug missed is named by its MUTANT.md line in a stage that is shown, and by nothing
    /// of it in a hidden one.
    @Test func checksNameBugsByTheirDescriptionOnlyWhereShown() throws {
        let manifest = try ExerciseManifest.load(folder: Self.exercise)
        let stages = try #require(PieceRegistry([UsersAPI.piece]).suite("users-tests")).stages(for: manifest)
        #expect(stages["validation"]?.map(\.name).contains("catches: a duplicate email differing only in case is accepted") == true)
        #expect(stages["stored-data"]?.map(\.name) == ["catches hidden bug 1 of 2", "catches hidden bug 2 of 2"])
        #expect(manifest.stages.last?.hidden == true)
    }
}
