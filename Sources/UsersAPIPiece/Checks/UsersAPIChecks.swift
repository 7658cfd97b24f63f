import Foundation
import Grading

extension UsersAPI {
    public static let suiteID = "users-api"

    /// Every stage the users-API exercises draw on, by id (each exercise's manifest lists the
    /// ones it uses, in order).
    static let stages: [String: [Check]] = [
        "hello-listen": HelloChecks.listen,
        "hello-json": HelloChecks.json,
        "hello-routes": HelloChecks.routes,
        "list": CRUDChecks.list,
        "create": CRUDChecks.create,
        "get": CRUDChecks.get,
        "update-delete": CRUDChecks.updateDelete,
        "concurrency": ConcurrencyChecks.checks,
        "auth-required": AuthChecks.required,
        "auth-valid": AuthChecks.valid,
        "auth-forged": AuthChecks.forgedTokens,
        "persist-restart": PersistChecks.restart,
        "persist-crash": PersistChecks.crash,
        "persist-ids": PersistChecks.ids,
        "healthz": GracefulChecks.healthz,
        "drain": GracefulChecks.drain,
        "exit-idle": GracefulChecks.exitIdle,
    ]

    /// The stages a flaw of the reference is meant to fail.
    static let flawStages: [String: Set<String>] = [
        "ids-from-count": ["concurrency"],
        "unlocked-ids": ["concurrency"],
        "created-as-200": ["create"],
        "unsorted-list": ["create"],
        "case-sensitive-emails": ["create"],
        "plain-text-errors": ["create"],
    ]

    /// The checks of the users-API exercises. With `courseExecutable` (the CLI passes its own
    /// path), `course verify` also grades the reference server and its flawed variants, run
    /// as real processes (`course serve users-api`), since checks signal and restart them.
    public static func suite(courseExecutable: String?) -> CheckSuite {
        guard let courseExecutable else { return CheckSuite(id: suiteID, stages: stages) }
        let serve = "\(shellQuoted(courseExecutable)) serve \(pieceID) --port \"$PORT\""
        let reference = CheckSuite.Reference(.command(serve + " ${DATABASE_PATH:+--db \"$DATABASE_PATH\"}"),
                                             stages: Set(stages.keys.filter { !$0.hasPrefix("hello-") }))
        let mutants = Flaws.named.map { name, _ in
            Mutant(name: name, broken: flawDescriptions[name] ?? name, source: .command(serve + " --flaw \(name)"),
                   caughtBy: flawStages[name] ?? [])
        }
        return CheckSuite(id: suiteID, stages: stages, reference: reference, mutants: mutants)
    }

    static let flawDescriptions: [String: String] = [
        "ids-from-count": "a new id is the number of users plus one (reused after a delete)",
        "unlocked-ids": "choosing an id and storing the user are not under one lock",
        "created-as-200": "POST answers 200 instead of 201",
        "unsorted-list": "the list is newest first",
        "case-sensitive-emails": "the duplicate check compares emails exactly",
        "plain-text-errors": "errors are text/plain sentences, not JSON",
    ]

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
