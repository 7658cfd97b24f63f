import Foundation

/// The bugs a learner's tests are graded by in `users-tests`: the users API mutants
/// (`Exercises/users-api/mutants/NAME`, each with its one-line `MUTANT.md`), grouped into
/// stages by what they break. Every users-api mutant is in exactly one stage (a test holds
/// the table to the folder), so a new mutant is a new bug to catch.
enum TestWritingBugs {
    /// The exercise whose sample solution is the correct program and whose mutants are the bugs.
    static let programExercise = "users-api"

    struct Bug: Sendable {
        let mutant: String
        /// Built with the race detector: the bug is a data race, which a concurrent test
        /// shows every time under `-race` and only by luck without.
        var race = false
    }

    /// Stage id → its bugs, in the order they are reported.
    static let stages: [String: [Bug]] = [
        "validation": ["blank-name-accepted", "email-unchecked", "bad-json-500", "email-case-sensitive",
                       "own-email-conflict", "own-email-exact"].map { Bug(mutant: $0) },
        "status-codes": ["bad-id-404", "bad-id-writes-404", "delete-200-body", "no-allow-405", "put-creates",
                         "sub-path-400", "unknown-id-zero-user", "unknown-path-501", "wrapped-user"].map { Bug(mutant: $0) },
        "ids-concurrency": [Bug(mutant: "no-lock", race: true), Bug(mutant: "email-check-outside-lock"),
                            Bug(mutant: "ids-reused"), Bug(mutant: "sample-users")],
        "stored-data": ["delete-keeps-email", "update-keeps-old-email"].map { Bug(mutant: $0) },
    ]

    /// Every bug of every stage, in stage order of `stageOrder`.
    static let stageOrder = ["validation", "status-codes", "ids-concurrency", "stored-data"]
    static var all: [Bug] { stageOrder.flatMap { stages[$0] ?? [] } }
}
