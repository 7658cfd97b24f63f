import Foundation
import Testing
@testable import CourseEngine

/// The exercise a command without one means: the folder the learner stands in, else the
/// one they checked last until it passes, else the roadmap's next.
@Suite struct ExerciseChoiceTests {
    let roadmap = try! RoadmapParser().parse(RoadmapParserTests.sample)
    let workspace = URL(fileURLWithPath: "/home/ada/course/workspace")
    let ids: Set<String> = ["ex-one", "ex-two", "users-api"]

    func status(passed: [String] = [], failed: [String] = [], read: [String] = ["first"]) -> LearnerStatus {
        var exercises: [String: ExerciseProgress] = [:]
        for (id, pass) in passed.map({ ($0, true) }) + failed.map({ ($0, false) }) {
            exercises[id] = ExerciseProgress(exerciseID: id, attempts: 1, firstAttemptAt: Date(), passedAt: pass ? Date() : nil,
                                             bestStagesPassed: pass ? 3 : 0, stagesTotal: 3, secondsChecking: 1, lastSummary: nil)
        }
        let lessons = Dictionary(uniqueKeysWithValues: read.map {
            ($0, LessonProgress(lessonID: $0, firstReadAt: Date(), lastReadAt: Date(), readCount: 1, readingSeconds: 1))
        })
        return LearnerStatus(roadmap: roadmap, lessons: lessons, exercises: exercises)
    }

    func choose(in folder: String, last: String?, _ status: LearnerStatus) -> ExerciseChoice? {
        ExerciseChoice.choose(folder: URL(fileURLWithPath: folder), workspace: workspace, exerciseIDs: ids, lastChecked: last, status: status)
    }

    @Test func theFolderYouStandInComesFirst() {
        let s = status(failed: ["ex-two"])
        #expect(choose(in: "/home/ada/course/workspace/users-api", last: "ex-two", s) == ExerciseChoice(exerciseID: "users-api", reason: .folder))
        #expect(choose(in: "/home/ada/course/workspace/users-api/internal/store", last: "ex-two", s)?.exerciseID == "users-api",
                "a folder below the exercise's counts too")
        #expect(choose(in: "/home/ada/course/workspace/backups", last: "ex-two", s)?.reason == .lastChecked,
                "a workspace folder that is no exercise does not")
        #expect(choose(in: "/home/ada/course/workspace-old/users-api", last: nil, s)?.reason == .roadmap, "nor one beside the workspace")
    }

    @Test func theExerciseCheckedLastUntilItPasses() {
        #expect(choose(in: "/home/ada", last: "users-api", status(passed: ["ex-one"], failed: ["users-api"]))
                == ExerciseChoice(exerciseID: "users-api", reason: .lastChecked),
                "after failing users-api, plain check is users-api, not the roadmap's ex-two")
        #expect(choose(in: "/home/ada", last: "users-api", status(passed: ["ex-one", "users-api"]))
                == ExerciseChoice(exerciseID: "ex-two", reason: .roadmap), "once it passes, the roadmap's next")
    }

    @Test func elseTheRoadmapsNextExercise() {
        #expect(choose(in: "/home/ada", last: nil, status()) == ExerciseChoice(exerciseID: "ex-one", reason: .roadmap))
        #expect(choose(in: "/home/ada", last: nil, status(read: [])) == ExerciseChoice(exerciseID: "ex-one", reason: .roadmap),
                "the next step is a lesson: the first exercise not passed")
        #expect(choose(in: "/home/ada", last: nil, status(passed: ["ex-one"], read: [])) == ExerciseChoice(exerciseID: "ex-two", reason: .roadmap))
    }

    @Test func aWorkspaceReachedThroughALinkStillCounts() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("choice-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let real = base.appendingPathComponent("real/workspace")
        try FileManager.default.createDirectory(at: real.appendingPathComponent("users-api"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: base.appendingPathComponent("link"), withDestinationURL: base.appendingPathComponent("real"))
        let linked = base.appendingPathComponent("link/workspace")
        #expect(ExerciseChoice.exercise(containing: real.appendingPathComponent("users-api"), workspace: linked) == "users-api")
        #expect(ExerciseChoice.exercise(containing: linked.appendingPathComponent("users-api"), workspace: real) == "users-api")
    }
}
