import Foundation
import GRDB
import Testing
@testable import CourseEngine

@Suite struct ProgressStoreTests {
    let folder: URL
    var url: URL { folder.appendingPathComponent("progress.sqlite") }

    init() throws {
        folder = try TestSupport.temporaryFolder("progress")
    }

    @Test func lessonsReadAreKeptAcrossReopens() throws {
        do {
            let store = try ProgressStore(url: url)
            try store.markLessonRead("go-fundamentals", seconds: 30)
            try store.markLessonRead("go-fundamentals", seconds: 15)
        }
        let reopened = try ProgressStore(url: url)
        let lesson = try #require(try reopened.lessons()["go-fundamentals"])
        #expect(lesson.readCount == 2)
        #expect(lesson.readingSeconds == 45)
    }

    @Test func attemptsAndStagesAreRecordedTogether() throws {
        let store = try ProgressStore(url: url)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordAttempt(Attempt(exerciseID: "users-api", startedAt: start, durationSeconds: 2, passed: false,
                                        stagesPassed: 1, stagesTotal: 3, summary: "stage 2: expected 201, got 200"),
                                stages: [("list", .passed), ("create", .failed), ("get", .notRun)])
        let saved = try store.recordAttempt(Attempt(exerciseID: "users-api", startedAt: start.addingTimeInterval(60), durationSeconds: 3,
                                                    passed: true, stagesPassed: 3, stagesTotal: 3, summary: "all stages passed"),
                                            stages: [("list", .passed), ("create", .passed), ("get", .passed)])
        let progress = try #require(try store.exercises()["users-api"])
        #expect(progress.attempts == 2)
        #expect(progress.passed)
        #expect(progress.passedAt == start.addingTimeInterval(60))
        #expect(progress.bestStagesPassed == 3)
        #expect(progress.secondsChecking == 5)
        #expect(progress.lastSummary == "all stages passed")
        #expect(try store.stages(attemptID: saved.id!).map(\.outcome) == [.passed, .passed, .passed])
    }

    @Test func resetKeepsABackupAndForgetsOnlyItsScope() throws {
        let store = try ProgressStore(url: url)
        try store.markLessonRead("a")
        try store.markLessonRead("b")
        let backup = try store.reset(.lesson("a"))
        #expect(try store.lessons().keys.sorted() == ["b"])
        let saved = try DatabaseQueue(path: backup.path)
        #expect(try saved.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM lesson_progress") } == 2)
        try store.reset(.everything)
        #expect(try store.lessons().isEmpty)
    }

    /// Two processes are simulated by two stores (two connection pools) on one file, each
    /// writing from its own threads at once: no error, no lost increment.
    @Test func concurrentWritersLoseNothing() async throws {
        let first = try ProgressStore(url: url)
        let second = try ProgressStore(url: url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [first, second] {
                for worker in 0..<4 {
                    group.addTask {
                        for i in 0..<25 {
                            try store.markLessonRead("shared")
                            try store.recordAttempt(Attempt(exerciseID: "ex-\(worker)", startedAt: Date(), durationSeconds: 0.1,
                                                            passed: false, stagesPassed: 0, stagesTotal: 1, summary: "\(i)"),
                                                    stages: [("s", .failed)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try first.lessons()["shared"]?.readCount == 200)
        #expect(try second.exercises().values.map(\.attempts).reduce(0, +) == 200)
    }

    @Test func aCorruptFileIsNeverResetAndACopyIsKept() throws {
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: url)
        do {
            _ = try ProgressStore(url: url, now: Date(timeIntervalSince1970: 0))
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.file == url.path)
            #expect(error.message.contains("cannot open the progress database"))
            #expect(error.hint?.contains("damaged-19700101-000000") == true)
        }
        #expect(try Data(contentsOf: url) == garbage, "the original is untouched")
        let copy = folder.appendingPathComponent("progress.sqlite.damaged-19700101-000000")
        #expect(try Data(contentsOf: copy) == garbage)
    }

    /// A real progress file damaged inside (valid header, scribbled table pages): opening
    /// must refuse it without writing a byte, since a pool's open and close would otherwise
    /// checkpoint into the damaged file.
    @Test func aFileDamagedInsideIsRefusedUnchanged() throws {
        do {
            let store = try ProgressStore(url: url)
            for n in 0..<200 { try store.markLessonRead("lesson-\(n)", seconds: 1) }
        }
        var bytes = try Data(contentsOf: url)
        #expect(bytes.count > 4 * 4096)
        for i in 4096..<(3 * 4096) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) }
        try bytes.write(to: url)
        #expect(throws: CourseError.self) { try ProgressStore(url: url, now: Date(timeIntervalSince1970: 0)) }
        #expect(try Data(contentsOf: url) == bytes, "the damaged file was written into")
        #expect(try Data(contentsOf: folder.appendingPathComponent("progress.sqlite.damaged-19700101-000000")) == bytes)
    }

    @Test func aFolderInPlaceOfTheFileIsAClearError() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        #expect(throws: CourseError.self) { try ProgressStore(url: url) }
    }

    @Test func hintsAreRevealedOneAtATimeUpToTheLastAndResetWithTheExercise() throws {
        let store = try ProgressStore(url: url)
        #expect(try store.hintsShown(exerciseID: "echo", stageID: "edges") == 0)
        #expect(try store.revealHint(exerciseID: "echo", stageID: "edges", available: 2) == 1)
        #expect(try store.revealHint(exerciseID: "echo", stageID: "edges", available: 2) == 2)
        #expect(try store.revealHint(exerciseID: "echo", stageID: "edges", available: 2) == 2, "never more than there are")
        #expect(try store.hintsShown(exerciseID: "echo", stageID: "echo") == 0, "counted per stage")
        #expect(try store.revealHint(exerciseID: "echo", stageID: "echo", available: 0) == 0)
        #expect(try ProgressStore(url: url).hintsShown(exerciseID: "echo", stageID: "edges") == 2, "kept across reopens")
        try store.reset(.exercise("other"))
        #expect(try store.hintsShown(exerciseID: "echo", stageID: "edges") == 2)
        try store.reset(.exercise("echo"))
        #expect(try store.hintsShown(exerciseID: "echo", stageID: "edges") == 0)
    }

    @Test func aVersionOneFileGainsHintCountsAndKeepsItsData() throws {
        // A file as version 1 left it: only the first migration applied.
        let all = ProgressStore.migrator
        let queue = try DatabaseQueue(path: url.path)
        try all.migrate(queue, upTo: "v1-progress")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO lesson_progress VALUES ('kept', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 5)")
        }
        try queue.close()
        let store = try ProgressStore(url: url, now: Date(timeIntervalSince1970: 0))
        #expect(try store.lessons()["kept"]?.readingSeconds == 5)
        #expect(try store.revealHint(exerciseID: "echo", stageID: "echo", available: 3) == 1)
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("backups").path)
        #expect(backups == ["progress-19700101-000000-before-v3-failed-check.sqlite"], "named after the last migration it gets")
    }

    @Test func aVersionTwoFileGainsTheFailedCheckOfAttempts() throws {
        let queue = try DatabaseQueue(path: url.path)
        try ProgressStore.migrator.migrate(queue, upTo: "v2-hints")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO attempt (exercise_id, started_at, duration_seconds, passed, stages_passed, stages_total, summary)
                VALUES ('echo', '2026-01-01 00:00:00', 1, 0, 0, 3, 'old')
                """)
        }
        try queue.close()
        let store = try ProgressStore(url: url)
        let old = try #require(try store.attempts(exerciseID: "echo").first)
        #expect(old.summary == "old" && old.failedCheck == nil && old.failureTag == nil)
        try store.recordAttempt(Attempt(exerciseID: "echo", startedAt: Date(), durationSeconds: 1, passed: false, stagesPassed: 1,
                                        stagesTotal: 3, summary: "new", failedCheck: "not-allowed", failureTag: "no-allow"), stages: [])
        let latest = try #require(try store.latestAttempt())
        #expect(latest.summary == "new" && latest.failedCheck == "not-allowed" && latest.failureTag == "no-allow")
    }

    @Test func anotherAppsDatabaseIsNotWrittenInto() throws {
        let other = try DatabaseQueue(path: url.path)
        try other.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        try other.close()
        #expect(throws: CourseError("this SQLite file is not a course progress database", file: url.path,
                                       hint: "move it away; `course` will create a new progress file there")) {
            try ProgressStore(url: url)
        }
    }

    @Test func aDatabaseFromANewerVersionIsRefusedNotCrashedOn() throws {
        var newer = ProgressStore.migrator
        newer.registerMigration("v99-future") { db in try db.execute(sql: "CREATE TABLE future (x)") }
        _ = try ProgressStore(url: url, migrator: newer, now: Date())
        do {
            _ = try ProgressStore(url: url)
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.message.contains("newer version of course"))
        }
    }

    @Test func anUpgradeKeepsDataAndBacksUpFirst() throws {
        do {
            let v1 = try ProgressStore(url: url)
            try v1.markLessonRead("kept", seconds: 12)
        }
        var v2 = ProgressStore.migrator
        v2.registerMigration("v2-notes") { db in
            try db.alter(table: "lesson_progress") { t in t.add(column: "note", .text) }
        }
        let upgraded = try ProgressStore(url: url, migrator: v2, now: Date(timeIntervalSince1970: 0))
        #expect(try upgraded.lessons()["kept"]?.readingSeconds == 12)
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("backups").path)
        #expect(backups == ["progress-19700101-000000-before-v2-notes.sqlite"])
    }
}

@Suite struct LearnerStatusTests {
    let roadmap = try! RoadmapParser().parse(RoadmapParserTests.sample)

    func lesson(_ id: String) -> LessonProgress {
        LessonProgress(lessonID: id, firstReadAt: Date(), lastReadAt: Date(), readCount: 1, readingSeconds: 60)
    }

    func exercise(_ id: String, passed: Bool) -> ExerciseProgress {
        ExerciseProgress(exerciseID: id, attempts: 2, firstAttemptAt: Date(), passedAt: passed ? Date() : nil,
                         bestStagesPassed: passed ? 3 : 1, stagesTotal: 3, secondsChecking: 10, lastSummary: nil)
    }

    @Test func nextIsTheFirstUnreadLesson() {
        let status = LearnerStatus(roadmap: roadmap, lessons: [:], exercises: [:])
        #expect(status.next == .lesson(roadmap.lessons[0]))
    }

    @Test func aLessonsExercisesComeBeforeTheNextLesson() {
        let status = LearnerStatus(roadmap: roadmap, lessons: ["first": lesson("first")],
                                   exercises: ["ex-one": exercise("ex-one", passed: true), "ex-two": exercise("ex-two", passed: false)])
        #expect(status.next == .exercise("ex-two", lesson: roadmap.lessons[0]))
        #expect(status.exercisesPassed == 1)
        #expect(status.totalAttempts == 4)
    }

    @Test func everythingDoneIsFinished() {
        let status = LearnerStatus(roadmap: roadmap,
                                   lessons: ["first": lesson("first"), "second": lesson("second"), "third": lesson("third")],
                                   exercises: ["ex-one": exercise("ex-one", passed: true), "ex-two": exercise("ex-two", passed: true)])
        #expect(status.next == .finished)
        #expect(status.summaryLine == "3/3 lessons read, 2/2 exercises passed.")
        #expect(humanDuration(3725) == "1 h 02 min")
    }
}
