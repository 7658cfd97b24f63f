import ArgumentParser
import CourseEngine
import Foundation

struct ProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "What you have done, what is next, time spent and attempts; and where your workspace is.")

    @OptionGroup var global: GlobalOptions

    struct ProgressJSON: Encodable {
        struct LessonRow: Encodable {
            let id: String
            let read: Bool
            let readCount: Int
            let firstReadAt: Date?
            let readingSeconds: Double
        }
        struct ExerciseRow: Encodable {
            let id: String
            let lesson: String
            let attempts: Int
            let passed: Bool
            let passedAt: Date?
            let bestStagesPassed: Int
            let stagesTotal: Int
            let secondsChecking: Double
            let lastResult: String?
        }
        let workspace: String
        let workspaceSource: String
        let database: String
        let lessonsRead: Int
        let lessonsTotal: Int
        let exercisesPassed: Int
        let exercisesTotal: Int
        let attempts: Int
        let readingSeconds: Double
        let checkingSeconds: Double
        let next: String
        let lessons: [LessonRow]
        let exercises: [ExerciseRow]
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let status = try context.status(store)
        let roadmap = context.course.roadmap
        if global.json {
            let next: String
            switch status.next {
            case .lesson(let l): next = "lesson:\(l.id)"
            case .exercise(let id, _): next = "exercise:\(id)"
            case .finished: next = "finished"
            }
            try StandardOutput.json(ProgressJSON(
                workspace: context.workspace.url.path, workspaceSource: context.workspace.source.rawValue,
                database: store.url.path, lessonsRead: status.lessonsRead, lessonsTotal: roadmap.lessons.count,
                exercisesPassed: status.exercisesPassed, exercisesTotal: roadmap.exercises.count,
                attempts: status.totalAttempts, readingSeconds: status.readingSeconds, checkingSeconds: status.checkingSeconds,
                next: next,
                lessons: roadmap.lessons.map { l in
                    let p = status.lessons[l.id]
                    return .init(id: l.id, read: p != nil, readCount: p?.readCount ?? 0, firstReadAt: p?.firstReadAt, readingSeconds: p?.readingSeconds ?? 0)
                },
                exercises: roadmap.lessons.flatMap { l in l.exercises.map { id in
                    let p = status.exercises[id]
                    return .init(id: id, lesson: l.id, attempts: p?.attempts ?? 0, passed: p?.passed ?? false, passedAt: p?.passedAt,
                                 bestStagesPassed: p?.bestStagesPassed ?? 0, stagesTotal: p?.stagesTotal ?? 0,
                                 secondsChecking: p?.secondsChecking ?? 0, lastResult: p?.lastSummary)
                } }))
            return
        }

        let bold = TextStyle(bold: true)
        let dim = TextStyle(dim: true)
        var out = context.styled(roadmap.title, TextStyle(bold: true, color: .brightCyan)) + "\n\n"
        out += "Workspace  \(context.workspace.url.path)  " + context.styled("(\(sourceDescription(context.workspace.source)))", dim) + "\n"
        out += "Progress   \(store.url.path)\n\n"
        for level in roadmap.levels {
            let read = level.lessons.filter(status.isRead).count
            let ids = level.lessons.flatMap(\.exercises)
            let passed = ids.filter { status.exercises[$0]?.passed == true }.count
            let exercisesPart = ids.isEmpty ? "" : ", \(passed)/\(ids.count) exercises passed"
            out += context.styled(level.name.padding(toLength: 13, withPad: " ", startingAt: 0), bold)
                + "\(read)/\(level.lessons.count) lessons read\(exercisesPart)\n"
        }
        out += "\n"
        out += "Lessons    \(status.lessonsRead) of \(roadmap.lessons.count) read, \(humanDuration(status.readingSeconds)) reading in the pager\n"
        out += "Exercises  \(status.exercisesPassed) of \(roadmap.exercises.count) passed, \(status.totalAttempts) attempts, \(humanDuration(status.checkingSeconds)) checking\n"
        let attempted = roadmap.exercises.compactMap { status.exercises[$0] }
        for p in attempted {
            let mark = p.passed ? context.styled("✓", TextStyle(color: .green)) : context.styled("✗", TextStyle(color: .red))
            out += "  \(mark) \(p.exerciseID): \(p.attempts) attempts, best \(p.bestStagesPassed)/\(p.stagesTotal) stages"
            if let last = p.lastSummary, !last.isEmpty, !p.passed { out += " (last: \(last))" }
            out += "\n"
        }
        out += "\n" + context.nextStep(status.next)
        try StandardOutput.write(out)
    }

    private func sourceDescription(_ source: Workspace.Source) -> String {
        switch source {
        case .flag: return "from --workspace"
        case .environment: return "from COURSE_WORKSPACE"
        case .defaultLocation: return "the default; change it with --workspace or COURSE_WORKSPACE"
        }
    }
}
