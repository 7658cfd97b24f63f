import CourseEngine
import Foundation
import GRDB
import Testing
@testable import Grading
#if canImport(Glibc)
import Glibc
#endif

// "kill -9 in the middle of `course grade` leaves a gradebook that opens, with every
// completed submission kept", proven on the real code path.
//
// The writer must be another process: a thread of this one cannot be killed alone, and
// copying the files while a thread writes tests a snapshot, not a crash. The writer must
// also run the real `Gradebook.record`, not SQL that imitates it (the `sqlite3` shell or
// Python), or the test would prove SQLite right and say nothing about this code. So the
// test starts this test binary again (`/proc/self/exe`), filtered to `GradebookCrashChild`,
// which records results through `Gradebook` until it dies. Two ways to die:
//
// * At a chosen instruction: a transaction observer (SQLite's update hook) sends SIGKILL
//   from inside `record`, after the old run of a re-graded submission was deleted and part
//   of the new one inserted. The writer's page cache is made tiny, so the transaction has
//   already spilled pages into the WAL, and the log shows the WAL grew past the last
//   commit: the kill lands on uncommitted frames, the case recovery must discard.
// * At a random moment: the parent sends SIGKILL while the child records large results in
//   a loop, three times over the same file, each new child reopening what the last one
//   left, as the next `course grade` would.
//
// After each kill the parent opens the file with `Gradebook`, runs `PRAGMA integrity_check`,
// and compares every result with the exact value the child committed (the fixtures are
// pure functions of learner and variant, and the child logs each commit once `record`
// returns). The one result committed but killed before it was logged may hold either value.

/// What the parent tells the child, through its environment.
enum CrashChildSettings {
    static let gradebook = "COURSE_GRADEBOOK_CRASH_CHILD"
    static let log = "COURSE_GRADEBOOK_CRASH_LOG"
    static let mode = "COURSE_GRADEBOOK_CRASH_MODE"
    static let round = "COURSE_GRADEBOOK_CRASH_ROUND"

    static let learnerSlots = 40
    static let loopOutputBytes = 200_000
    static let killOutputBytes = 1_000_000

    /// The result a child records as its `index`-th submission of `round`.
    static func result(round: Int, index: Int, outputBytes: Int = loopOutputBytes) -> SubmissionResult {
        GradebookFixtures.result(learner: "l\(index % learnerSlots)", variant: round * 100_000 + index, outputBytes: outputBytes)
    }
}

/// The child's side: runs only when the crash tests start this binary with the settings.
@Suite struct GradebookCrashChild {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment[CrashChildSettings.gradebook] != nil, "runs only as the crash tests' child process"))
    func recordUntilKilled() throws {
        let env = Self.environment
        let url = URL(fileURLWithPath: env[CrashChildSettings.gradebook]!)
        let log = open(env[CrashChildSettings.log]!, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let round = Int(env[CrashChildSettings.round] ?? "0")!
        let gradebook = try Gradebook(url: url)
        func say(_ line: String) {
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(log, $0.baseAddress, $0.count) }
        }
        func walSize() -> Int {
            var info = stat()
            return stat(url.path + "-wal", &info) == 0 ? Int(info.st_size) : 0
        }

        if env[CrashChildSettings.mode] == "inside" {
            // Keep every frame in the WAL (no checkpoint) and spill early (a 10-page cache).
            try gradebook.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = 10")
            }
            for index in 0..<8 {
                try gradebook.record(CrashChildSettings.result(round: round, index: index))
                say("committed \(index) wal \(walSize())")
            }
            let killSwitch = KillSwitch(afterChecks: 5) { say("killing wal \(walSize())") }
            gradebook.pool.writeWithoutTransaction { db in
                db.add(transactionObserver: killSwitch, extent: .databaseLifetime)
            }
            // Re-grade l3 (index 43 maps to slot 3) with a large output: never returns.
            try gradebook.record(CrashChildSettings.result(round: round, index: 43, outputBytes: CrashChildSettings.killOutputBytes))
            say("not killed")
        } else {
            let deadline = Date().addingTimeInterval(120) // never outlive a parent that died
            var index = 0
            while Date() < deadline {
                try gradebook.record(CrashChildSettings.result(round: round, index: index))
                say("committed \(index)")
                index += 1
            }
        }
    }

    /// Sends SIGKILL to this process from SQLite's update hook, mid-transaction: after the
    /// old run was deleted, the new run and its stages inserted, and some of its checks.
    final class KillSwitch: TransactionObserver, @unchecked Sendable {
        private var checksLeft: Int
        private let beforeDying: () -> Void

        init(afterChecks count: Int, beforeDying: @escaping () -> Void) {
            checksLeft = count
            self.beforeDying = beforeDying
        }

        /// Inserts only: deleting the old run cascades to its checks first, and dying there
        /// would kill the child inside the DELETE, before any of the new run is written.
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
            if case .insert(tableName: "check_result") = eventKind { return true }
            return false
        }

        func databaseDidChange(with event: DatabaseEvent) {
            guard event.kind == .insert, event.tableName == "check_result" else { return }
            checksLeft -= 1
            if checksLeft == 0 {
                beforeDying()
                kill(getpid(), SIGKILL)
            }
        }

        func databaseDidCommit(_ db: Database) {}
        func databaseDidRollback(_ db: Database) {}
    }
}

/// The parent's side.
@Suite struct GradebookCrashSafetyTests {
    static let testBinary = "/proc/self/exe"
    static let canStartChild = FileManager.default.fileExists(atPath: testBinary)

    let folder: URL
    var url: URL { folder.appendingPathComponent("gradebook.sqlite") }
    var logURL: URL { folder.appendingPathComponent("child.log") }

    init() throws {
        folder = try GradebookFixtures.temporaryFolder("gradebook-crash")
    }

    func startChild(mode: String, round: Int) throws -> ChildProcess {
        try? FileManager.default.removeItem(at: logURL)
        var environment = ProcessInfo.processInfo.environment
        environment[CrashChildSettings.gradebook] = url.path
        environment[CrashChildSettings.log] = logURL.path
        environment[CrashChildSettings.mode] = mode
        environment[CrashChildSettings.round] = String(round)
        let binary = URL(fileURLWithPath: Self.testBinary).resolvingSymlinksInPath().path
        return try ChildProcess.spawn(.init(
            arguments: [binary, "--testing-library", "swift-testing", "--filter", "GradebookCrashChild"],
            environment: environment,
            stdout: .file(folder.appendingPathComponent("child-\(round).out").path),
            stderr: .file(folder.appendingPathComponent("child-\(round).err").path)))
    }

    func logLines() -> [String] {
        ((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func childOutput(_ round: Int) -> String {
        let out = (try? String(contentsOf: folder.appendingPathComponent("child-\(round).out"), encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: folder.appendingPathComponent("child-\(round).err"), encoding: .utf8)) ?? ""
        return String((out + err).suffix(3000))
    }

    /// Committed indices in the log ("committed 12" or "committed 12 wal 4096").
    func committed() -> [Int] {
        logLines().compactMap { line in
            let words = line.split(separator: " ")
            return words.first == "committed" ? Int(words[1]) : nil
        }
    }

    /// Opens the file the way the next `course grade` would, and checks every page.
    func reopen() throws -> Gradebook {
        let gradebook = try Gradebook(url: url)
        let check = try gradebook.pool.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        return gradebook
    }

    @Test(.enabled(if: canStartChild), .timeLimit(.minutes(3)))
    func aKillInsideTheTransactionKeepsEverySubmissionCommittedBefore() throws {
        let child = try startChild(mode: "inside", round: 0)
        let termination = child.wait(timeout: 150)
        if termination == nil { child.send(SIGKILL); child.wait() }
        #expect(termination == .signaled(SIGKILL), "the child died by its own SIGKILL; output:\n\(childOutput(0))")

        let lines = logLines()
        #expect(committed() == Array(0..<8), "log:\n\(lines.joined(separator: "\n"))")
        let walAfterLastCommit = try #require(lines.last { $0.hasPrefix("committed") }?.split(separator: " ").last.flatMap { Int($0) })
        let walAtKill = try #require(lines.last.flatMap { $0.hasPrefix("killing wal ") ? Int($0.dropFirst(12)) : nil },
                                     "log:\n\(lines.joined(separator: "\n"))")
        #expect(walAtKill > walAfterLastCommit, "the unfinished transaction had written frames to the WAL")

        let gradebook = try reopen()
        let expected = (0..<8).map { CrashChildSettings.result(round: 0, index: $0) }
        #expect(try gradebook.results() == expected, "every committed result whole; l3 kept its old run")
        // The file takes the re-grade that was killed.
        let regrade = CrashChildSettings.result(round: 0, index: 43)
        try gradebook.record(regrade)
        #expect(try gradebook.results().filter { $0.learner == "l3" } == [regrade])
    }

    @Test(.enabled(if: canStartChild), .timeLimit(.minutes(5)))
    func killNineAtARandomMomentKeepsEveryCompletedSubmission() async throws {
        var expected: [String: SubmissionResult] = [:]
        for round in 0..<3 {
            let child = try startChild(mode: "loop", round: round)
            let target = 6 + round * 3
            let deadline = Date().addingTimeInterval(150)
            while committed().count < target, child.poll() == nil, Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let delay = Int.random(in: 0..<40)
            try await Task.sleep(for: .milliseconds(delay))
            child.send(SIGKILL)
            #expect(await child.waitAsync() == .signaled(SIGKILL), "round \(round); output:\n\(childOutput(round))")

            let done = committed()
            #expect(done.count >= target, "round \(round) committed \(done.count)")
            for index in done {
                let result = CrashChildSettings.result(round: round, index: index)
                expected[result.learner] = result
            }
            // Committed, maybe, but killed before it was logged.
            let unlogged = CrashChildSettings.result(round: round, index: (done.last ?? -1) + 1)

            let gradebook = try reopen()
            let actual = Dictionary(uniqueKeysWithValues: try gradebook.results().map { ($0.learner, $0) })
            for learner in Set(actual.keys).union(expected.keys) {
                if learner == unlogged.learner {
                    #expect(actual[learner] == expected[learner] || actual[learner] == unlogged,
                            "round \(round), killed after \(delay) ms: \(learner) holds a whole committed result")
                } else {
                    #expect(actual[learner] == expected[learner], "round \(round), killed after \(delay) ms: \(learner)")
                }
            }
            if actual[unlogged.learner] == unlogged { expected[unlogged.learner] = unlogged }
        }
    }
}
