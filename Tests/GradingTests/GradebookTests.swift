import CourseEngine
import Foundation
import GRDB
import Testing
@testable import Grading

@Suite struct GradebookTests {
    let folder: URL
    var url: URL { folder.appendingPathComponent("gradebook.sqlite") }

    init() throws {
        folder = try GradebookFixtures.temporaryFolder("gradebook")
    }

    /// Row counts of every table, read with a plain connection beside the gradebook.
    func rowCounts() throws -> [String: Int] {
        let db = try DatabaseQueue(path: url.path)
        defer { try? db.close() }
        return try db.read { db in
            var counts: [String: Int] = [:]
            for table in ["submission", "run", "stage_result", "check_result"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")
            }
            return counts
        }
    }

    func submissionIDs() throws -> [String: Int64] {
        let db = try DatabaseQueue(path: url.path)
        defer { try? db.close() }
        return try db.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT path, id FROM submission").map { ($0["path"], $0["id"]) })
        }
    }

    var aClass: [SubmissionResult] {
        [GradebookFixtures.result(learner: "ada", variant: 0), GradebookFixtures.result(learner: "bob", variant: 1),
         GradebookFixtures.result(learner: "cy", variant: 2), GradebookFixtures.buildFailure(learner: "dee"),
         GradebookFixtures.neverReady(learner: "eve")]
    }

    // MARK: Round trip

    @Test func everyPartOfAResultReadsBackExactly() throws {
        let gradebook = try Gradebook(url: url)
        // In class order: by learner, then exercise.
        let recorded = [GradebookFixtures.result(learner: "ada", exercise: "cache", variant: 1)] + aClass
        for result in recorded.reversed() { try gradebook.record(result) }

        let read = try gradebook.results()
        #expect(read == recorded)
        // The fixtures do hold what the round trip must survive.
        #expect(read.contains { $0.stages.contains { $0.hidden && $0.status == .failed } })
        #expect(read.contains { $0.stages.contains { $0.status == .notRun } })
        #expect(read.contains { $0.stages.flatMap(\.checks).contains { $0.status == .error } })
        let failure = try #require(read[1].stages[1].checks[1].failure)
        #expect(failure.sent != nil && failure.received?.contains("\u{0}binary\u{0}") == true && failure.expected != nil && failure.hint != nil)
        #expect(read[0].seed > UInt64(Int64.max))
        #expect(read.map(\.build) == recorded.map(\.build))

        #expect(try gradebook.results(exercise: "cache") == [recorded[0]])
        #expect(try gradebook.results(exercise: "nothing").isEmpty)
        // A reopened file gives the same.
        #expect(try Gradebook(url: url).results() == recorded)
    }

    /// Text with a NUL byte would be cut by a C-string binding; it is kept as a BLOB, and
    /// every other text stays TEXT for people reading the file with `sqlite3`.
    @Test func textWithNulBytesIsKeptWhole() throws {
        let gradebook = try Gradebook(url: url)
        var result = GradebookFixtures.result(learner: "ada")
        result.programOutput = OutputLog(head: "a\u{0}b", tail: "plain", totalBytes: 8)
        try gradebook.record(result)
        #expect(try gradebook.results() == [result])
        let db = try DatabaseQueue(path: url.path)
        let types = try db.read { try Row.fetchOne($0, sql: "SELECT typeof(output_head) AS head, typeof(output_tail) AS tail FROM run") }
        #expect(types?["head"] == "blob")
        #expect(types?["tail"] == "text")
    }

    // MARK: Re-grading

    @Test func gradingAClassTwiceLeavesTheSameRows() throws {
        let gradebook = try Gradebook(url: url)
        for result in aClass { try gradebook.record(result) }
        let counts = try rowCounts()
        let ids = try submissionIDs()
        for result in aClass { try gradebook.record(result) }

        #expect(try rowCounts() == counts)
        #expect(try submissionIDs() == ids)
        #expect(counts["submission"] == 5 && counts["run"] == 5)
        #expect(counts["stage_result"] == aClass.map(\.stages.count).reduce(0, +))
        #expect(counts["check_result"] == aClass.flatMap(\.stages).map(\.checks.count).reduce(0, +))
        #expect(try gradebook.results() == aClass)
    }

    @Test func aChangedGradeReplacesTheOldRunAndKeepsTheSubmission() throws {
        let gradebook = try Gradebook(url: url)
        try gradebook.record(GradebookFixtures.result(learner: "ada", variant: 0))
        try gradebook.record(GradebookFixtures.result(learner: "bob"))
        let ids = try submissionIDs()

        var regraded = GradebookFixtures.result(learner: "ada", variant: 2)
        regraded.learner = "Ada Lovelace" // the manifest now names her
        try gradebook.record(regraded)
        try gradebook.record(GradebookFixtures.buildFailure(learner: "bob"))

        #expect(try submissionIDs() == ids)
        #expect(try gradebook.results() == [regraded, GradebookFixtures.buildFailure(learner: "bob")])
        let counts = try rowCounts()
        #expect(counts["run"] == 2)
        #expect(counts["stage_result"] == regraded.stages.count + 5)
        #expect(counts["check_result"] == regraded.stages.map(\.checks.count).reduce(0, +))
        let db = try DatabaseQueue(path: url.path)
        #expect(try db.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty, "no orphan rows")
    }

    @Test func latestHashFollowsTheLatestGrade() throws {
        let gradebook = try Gradebook(url: url)
        #expect(try gradebook.latestHash(exercise: "users-api", path: "subs/ada") == nil)
        try gradebook.record(GradebookFixtures.result(learner: "ada", variant: 0))
        #expect(try gradebook.latestHash(exercise: "users-api", path: "subs/ada") == GradebookFixtures.result(learner: "ada").contentHash)
        try gradebook.record(GradebookFixtures.result(learner: "ada", variant: 1))
        #expect(try gradebook.latestHash(exercise: "users-api", path: "subs/ada")
                    == GradebookFixtures.result(learner: "ada", variant: 1).contentHash)
        #expect(try gradebook.latestHash(exercise: "cache", path: "subs/ada") == nil, "another exercise's grade does not count")
        #expect(try gradebook.latestHash(exercise: "users-api", path: "subs/bob") == nil)
    }

    // MARK: Class table and CSV

    @Test func theClassTableIsInLearnerOrder() throws {
        let gradebook = try Gradebook(url: url)
        let results = [GradebookFixtures.result(learner: "bob", variant: 0), GradebookFixtures.result(learner: "Ada", variant: 1),
                       GradebookFixtures.result(learner: "ada", exercise: "cache", variant: 2),
                       GradebookFixtures.buildFailure(learner: "carol")]
        for result in results { try gradebook.record(result) }

        let table = try gradebook.classTable()
        #expect(table.map(\.learner) == ["Ada", "ada", "bob", "carol"])
        let bob = results[0]
        #expect(table[2] == GradebookRow(learner: "bob", path: "subs/bob", exerciseID: "users-api", score: bob.score, maxScore: bob.maxScore,
                                         passed: false, stagesPassed: 1, stagesTotal: 5, summary: bob.summary, gradedAt: bob.startedAt))
        #expect(table[3].summary.hasPrefix("did not build: ./main.go:3:1"))
        #expect(try gradebook.classTable(exercise: "cache").map(\.learner) == ["ada"])
    }

    @Test func theCSVQuotesAsRFC4180AndDefusesFormulas() throws {
        let gradebook = try Gradebook(url: url)
        var sneaky = GradebookFixtures.neverReady(learner: "=HYPERLINK(\"http://evil\",\"x\")")
        sneaky.path = "subs/a,b"
        sneaky.startedAt = Date(timeIntervalSince1970: 1_800_000_000.75)
        var plain = GradebookFixtures.neverReady(learner: "-bob")
        plain.path = "subs/bob"
        plain.build = .notReady(reason: "crashed:\n\"panic\"")
        plain.startedAt = Date(timeIntervalSince1970: 1_800_000_060)
        try gradebook.record(sneaky)
        try gradebook.record(plain)

        #expect(try gradebook.csv() == """
            learner,path,exercise,score,max_score,passed,stages_passed,stages_total,summary,graded_at\r
            '-bob,subs/bob,users-api,0,0,false,0,0,never became ready: crashed:,2027-01-15T08:01:00Z\r
            "'=HYPERLINK(""http://evil"",""x"")","subs/a,b",users-api,0,0,false,0,0,never became ready: port 8080 did not accept connections within 10 s,2027-01-15T08:00:00Z\r

            """)
        #expect(GradebookCSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(GradebookCSV.field("+1") == "'+1")
        #expect(GradebookCSV.field("line\nbreak") == "\"line\nbreak\"")
        #expect(GradebookCSV.field("12.50") == "12.50")
        #expect(try gradebook.csv(exercise: "cache") == GradebookCSV.line(GradebookCSV.header))
    }

    // MARK: Concurrency

    /// Two grading runs on one file are simulated by two gradebooks (two connection pools),
    /// each writing from several threads at once, all also re-grading one shared submission.
    @Test func twoGradebooksOnOneFileLoseNothing() async throws {
        let first = try Gradebook(url: url)
        let second = try Gradebook(url: url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (g, gradebook) in [first, second].enumerated() {
                for worker in 0..<4 {
                    group.addTask {
                        for i in 0..<25 {
                            try gradebook.record(GradebookFixtures.result(learner: "g\(g)-w\(worker)-\(i)", variant: i))
                            try gradebook.record(GradebookFixtures.result(learner: "shared", variant: i))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let results = try second.results()
        #expect(results.count == 201)
        for g in 0..<2 {
            for worker in 0..<4 {
                for i in 0..<25 {
                    let expected = GradebookFixtures.result(learner: "g\(g)-w\(worker)-\(i)", variant: i)
                    #expect(results.contains(expected), "\(expected.learner) is kept whole")
                }
            }
        }
        let shared = try #require(results.first { $0.learner == "shared" })
        #expect(shared == GradebookFixtures.result(learner: "shared", variant: 24), "the shared submission holds one whole run")
        let counts = try rowCounts()
        #expect(counts["run"] == 201)
        #expect(counts["stage_result"] == results.map(\.stages.count).reduce(0, +))
        #expect(counts["check_result"] == results.flatMap(\.stages).map(\.checks.count).reduce(0, +))
    }

    // MARK: Damaged and foreign files

    @Test func aFileThatIsNotADatabaseIsKeptAndExplained() throws {
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        try garbage.write(to: url)
        do {
            _ = try Gradebook(url: url, now: Date(timeIntervalSince1970: 0))
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.file == url.path)
            #expect(error.message.hasPrefix("cannot open the gradebook: "))
            #expect(error.hint?.contains("gradebook.sqlite.damaged-19700101-000000") == true)
        }
        #expect(try Data(contentsOf: url) == garbage, "the original is untouched")
        #expect(try Data(contentsOf: folder.appendingPathComponent("gradebook.sqlite.damaged-19700101-000000")) == garbage)
    }

    @Test func aGradebookDamagedInsideIsRefusedAndKept() throws {
        do {
            let gradebook = try Gradebook(url: url)
            for result in aClass { try gradebook.record(result) }
        } // closing the last connection checkpoints the WAL into the file
        var bytes = try Data(contentsOf: url)
        let pageSize = 4096
        #expect(bytes.count > 4 * pageSize)
        // Scribble over pages 2 and 3 (b-tree pages of the tables); keep the header page.
        for i in pageSize..<(3 * pageSize) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) }
        try bytes.write(to: url)

        do {
            _ = try Gradebook(url: url, now: Date(timeIntervalSince1970: 0))
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.file == url.path)
            #expect(error.message.hasPrefix("cannot open the gradebook: "))
            #expect(error.message.contains("SQLITE_CORRUPT") || error.message.contains("malformed"), "\(error.message)")
            #expect(error.hint?.contains("the file was left as it is") == true)
        }
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try Data(contentsOf: folder.appendingPathComponent("gradebook.sqlite.damaged-19700101-000000")) == bytes)
    }

    @Test func anotherAppsDatabaseIsNotWrittenInto() throws {
        let other = try DatabaseQueue(path: url.path)
        try other.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        try other.close()
        #expect(throws: CourseError("this SQLite file is not a course gradebook", file: url.path,
                                    hint: "pass another file with --gradebook")) {
            try Gradebook(url: url)
        }
    }

    @Test func aLearnersProgressFileIsNotTakenForAGradebook() throws {
        _ = try ProgressStore(url: url)
        do {
            _ = try Gradebook(url: url)
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.message.hasPrefix("this SQLite file is not a course gradebook (it was set up by v1-progress"), "\(error)")
        }
        #expect(try ProgressStore(url: url).lessons().isEmpty, "the progress file still opens as one")
    }

    @Test func aFolderInPlaceOfTheFileIsAClearError() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        #expect(throws: CourseError.self) { try Gradebook(url: url) }
    }

    @Test func aMissingFolderIsCreated() throws {
        let nested = folder.appendingPathComponent("reports/2027/gradebook.sqlite")
        try Gradebook(url: nested).record(GradebookFixtures.result(learner: "ada"))
        #expect(try Gradebook(url: nested).results().count == 1)
    }

    // MARK: Migrations

    @Test func aGradebookFromANewerCourseIsRefused() throws {
        var newer = GradebookSchema.migrator
        newer.registerMigration("v99-future") { db in try db.execute(sql: "CREATE TABLE future (x)") }
        _ = try Gradebook(url: url, migrator: newer, now: Date())
        do {
            _ = try Gradebook(url: url)
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.message == "the gradebook was written by a newer version of course (it has v99-future)")
            #expect(error.file == url.path)
        }
    }

    @Test func anUpgradeKeepsDataAndBacksUpFirst() throws {
        do {
            let v1 = try Gradebook(url: url)
            for result in aClass { try v1.record(result) }
        }
        var v2 = GradebookSchema.migrator
        v2.registerMigration("v2-notes") { db in
            try db.alter(table: "run") { t in t.add(column: "note", .text) }
        }
        let upgraded = try Gradebook(url: url, migrator: v2, now: Date(timeIntervalSince1970: 0))
        #expect(try upgraded.results() == aClass)
        try upgraded.record(GradebookFixtures.result(learner: "fay"))
        #expect(try upgraded.results().count == 6, "the upgraded file takes new grades")

        let backups = folder.appendingPathComponent("backups")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path) == ["gradebook-19700101-000000-before-v2-notes.sqlite"])
        let backup = try DatabaseQueue(path: backups.appendingPathComponent("gradebook-19700101-000000-before-v2-notes.sqlite").path)
        #expect(try backup.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 5)
        #expect(try backup.read { try $0.columns(in: "run").contains { $0.name == "note" } } == false, "taken before the upgrade")

        // Opening again with the same migrator neither migrates nor backs up again.
        _ = try Gradebook(url: url, migrator: v2, now: Date(timeIntervalSince1970: 60))
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path).filter { $0.hasSuffix(".sqlite") }.count == 1)
    }

    /// v3 rebuilds `run` (SQLite cannot widen a CHECK in place): a v2 file keeps every run
    /// with its stages and checks attached, reads back as graded staged, and then takes
    /// runs that could not be graded ('refused') and runs graded with every stage.
    @Test func theV3UpgradeKeepsRunsAndTheirStagesAndTakesTheNewOutcomes() throws {
        do {
            let queue = try DatabaseQueue(path: url.path)
            try GradebookSchema.migrator.migrate(queue, upTo: "v2-check-output")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO submission (id, exercise_id, path, learner) VALUES (1, 'users-api', '/class/ada', 'ada')")
                try db.execute(sql: """
                    INSERT INTO run (id, submission_id, started_at, started_at_exact, duration_seconds, seed, versions_json,
                        content_hash, score, max_score, passed, stages_passed, stages_total, summary, sandbox_enabled, sandbox_note,
                        build_status, build_seconds, build_reason, output_head, output_tail, output_total_bytes, output_omitted_bytes)
                    VALUES (7, 1, '2026-01-01 00:00:00.000', 0, 1.5, '42', '{}', 'abc', 2, 4, 0, 1, 2, 'stage 2 failed', 1, 'bwrap',
                        'built', 1.0, NULL, '', '', 0, 0)
                    """)
                try db.execute(sql: """
                    INSERT INTO stage_result (run_id, ordinal, position, stage_id, name, hidden, status, score, max_score, duration_seconds)
                    VALUES (7, 0, 1, 'list', 'List', 0, 'passed', 2, 2, 0.1), (7, 1, 2, 'create', 'Create', 0, 'failed', 0, 2, 0.1)
                    """)
                try db.execute(sql: """
                    INSERT INTO check_result (run_id, stage_ordinal, ordinal, check_id, name, status, score, max_score, duration_seconds,
                        failure_message) VALUES (7, 0, 0, 'empty', 'empty list', 'passed', 2, 2, 0.1, NULL),
                        (7, 1, 0, 'create', 'create', 'failed', 0, 2, 0.1, 'expected 201, got 200')
                    """)
            }
        }
        let book = try Gradebook(url: url)
        let old = try #require(try book.results().first)
        #expect(old.mode == .staged && old.stages.map(\.status) == [.passed, .failed])
        #expect(old.stages[1].checks.first?.failure?.message == "expected 201, got 200")
        #expect(try book.pool.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty)

        var refused = GradebookFixtures.result(learner: "bob", path: "/class/bob")
        refused.build = .refused(reason: "course.yaml:3: not valid YAML")
        refused.mode = .allStages
        try book.record(refused)
        let bob = try #require(try book.results().first { $0.path == "/class/bob" })
        #expect(bob.build == .refused(reason: "course.yaml:3: not valid YAML") && bob.mode == .allStages)
        // Re-grading Ada replaces her old run, stages and checks included (the cascade holds).
        try book.record(GradebookFixtures.result(learner: "ada", path: "/class/ada"))
        #expect(try book.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM stage_result WHERE run_id = 7") } == 0)
    }
}
