import CachePiece
import Foundation
import Grading
import PipelinePiece
import Testing
import UserRPCPiece
import UsersAPIPiece

/// Every promise an exercise's README.md makes to the learner's program has a check that
/// fails a program breaking it, and the exercise's `PROMISES.md` says which (see
/// `PromiseTable`). The table cannot drift from the README unnoticed: a quote that is no
/// longer in README.md fails, a check that does not exist fails, and a status code, a
/// response header or a "must" written in README.md outside every quote fails, so a new
/// promise needs a check (or has to go) before this passes.
@Suite struct ReadmePromisesTests {
    static let exercisesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Exercises")

    /// The pieces whose checks the course's exercises use.
    static let registry = PieceRegistry([UsersAPI.piece, CachePiece.piece, UserRPC.piece, PipelinePiece.piece])

    static var exerciseIDs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: exercisesFolder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Check ids of `exercise`, as "stage/check", in stage order.
    static func checks(of exercise: String) throws -> [String] {
        let manifest = try ExerciseManifest.load(folder: exercisesFolder.appendingPathComponent(exercise))
        let suite = try #require(registry.suite(manifest.checks), "no piece of this test registers the checks '\(manifest.checks)' of \(exercise)")
        let stages = try suite.stages(for: manifest)
        return manifest.stages.flatMap { stage in (stages[stage.id] ?? []).map { "\(stage.id)/\($0.id)" } }
    }

    struct Loaded {
        let markdown: String
        let readme: ReadmeText
        let table: PromiseTable
    }

    static func load(_ exercise: String) throws -> Loaded {
        let folder = exercisesFolder.appendingPathComponent(exercise)
        let markdown = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        let promises = try String(contentsOf: folder.appendingPathComponent(PromiseTable.fileName), encoding: .utf8)
        return Loaded(markdown: markdown, readme: ReadmeText(markdown: markdown), table: PromiseTable(parsing: promises))
    }

    @Test func theCourseHasExercises() {
        #expect(Self.exerciseIDs.count >= 5, "\(Self.exerciseIDs)")
    }

    @Test(arguments: ReadmePromisesTests.exerciseIDs)
    func everyQuotedPromiseIsInTheReadmeAndNamesChecksThatExist(exercise: String) throws {
        let loaded = try Self.load(exercise)
        #expect(loaded.table.problems.isEmpty, "\(exercise): \(loaded.table.problems)")
        #expect(!loaded.table.promises.isEmpty, "\(exercise)/\(PromiseTable.fileName) lists no promise")
        var known: [String: Set<String>] = [:]
        func exists(_ reference: PromiseTable.CheckReference) throws -> Bool {
            let id = reference.exercise ?? exercise
            if known[id] == nil { known[id] = Set(try Self.checks(of: id)) }
            return known[id]!.contains("\(reference.stage)/\(reference.check)")
        }
        for promise in loaded.table.promises {
            let place = "\(exercise)/\(PromiseTable.fileName) line \(promise.line)"
            #expect(!loaded.readme.occurrences(of: promise.quote).isEmpty,
                    "\(place): «\(promise.quote)» is not in README.md (outside Run it and the like); quote it as the README says it now")
            #expect(!promise.checks.isEmpty, "\(place): «\(promise.quote)» names no check")
            for reference in promise.checks {
                if reference.check == PromiseTable.notChecked {
                    #expect(promise.quote.contains(PromiseTable.notChecked),
                            "\(place): «\(promise.quote)» is marked not checked, but the README does not say so in the quote: check it, or take it out of the README")
                } else {
                    let found = try exists(reference)
                    let available = try Self.checks(of: reference.exercise ?? exercise).joined(separator: ", ")
                    #expect(found, "\(place): no check \(reference) (checks of \(reference.exercise ?? exercise): \(available))")
                }
            }
        }
    }

    @Test(arguments: ReadmePromisesTests.exerciseIDs)
    func everyPromiseMarkInTheReadmeIsQuoted(exercise: String) throws {
        let loaded = try Self.load(exercise)
        let quoted = loaded.table.promises.flatMap { loaded.readme.occurrences(of: $0.quote) }
        let loose = loaded.readme.marks.filter { mark in !quoted.contains { $0.contains(mark.range.lowerBound) && $0.contains(mark.range.upperBound - 1) } }
        let listed = loose.map { "«\($0.text)» on \(loaded.readme.context(of: $0, in: loaded.markdown))" }
        #expect(listed.isEmpty, """
            \(exercise)/README.md promises what no entry of \(PromiseTable.fileName) quotes; add each promise with the checks that cover it \
            (or a new check), or take it out of the README:
            \(listed.joined(separator: "\n"))
            """)
    }

    /// The other way round: a check the README does not announce grades the learner on
    /// something they were never told.
    @Test(arguments: ReadmePromisesTests.exerciseIDs)
    func everyCheckIsAnnouncedByAPromise(exercise: String) throws {
        let loaded = try Self.load(exercise)
        let named = Set(loaded.table.promises.flatMap(\.checks).filter { $0.exercise == nil }.map { "\($0.stage)/\($0.check)" })
        let silent = try Self.checks(of: exercise).filter { !named.contains($0) }
        #expect(silent.isEmpty, "\(exercise): no promise of \(PromiseTable.fileName) names \(silent.joined(separator: ", ")): say in README.md what it checks")
    }

    /// The marks are found where they stand alone, and a quote covers what lies inside it.
    @Test func marksAndQuotesAreMatchedAsWords() {
        let readme = ReadmeText(markdown: """
            # x

            A name of 100 characters, id `999`, is `404`:
            the header `Allow` must
            be sent.

            ## Run it

            `500` here is only a command.
            """)
        #expect(readme.marks.map(\.text) == ["404", "Allow", "must"])
        #expect(readme.occurrences(of: "the header `Allow` must be sent").count == 1)
        #expect(readme.occurrences(of: "`500`").isEmpty)
        let table = PromiseTable(parsing: """
            > is `404`: the header
            > `Allow` must
            - get/unknown-path
            - users-api: get/by-id
            - nonsense
            """)
        #expect(table.promises.count == 1)
        #expect(table.promises.first?.quote == "is `404`: the header `Allow` must")
        let expected = [PromiseTable.CheckReference(exercise: nil, stage: "get", check: "unknown-path"),
                        PromiseTable.CheckReference(exercise: "users-api", stage: "get", check: "by-id")]
        #expect(table.promises.first?.checks == expected)
        #expect(table.problems.count == 1)
    }
}
