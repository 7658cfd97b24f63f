import ArgumentParser
import CourseEngine
import Foundation

struct RoadmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadmap",
        abstract: "Show the roadmap, Beginner to Advanced, with your progress on every lesson and exercise.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let status = try context.status(store)
        let counts = context.wordCounts()
        if global.json {
            try StandardOutput.json(RoadmapJSON(course: context.course, status: status, wordCounts: counts))
            return
        }
        let view = RoadmapView(course: context.course, status: status, wordCounts: counts)
        var text = context.roadmapRenderer().render(view.document())
        text += "\n" + context.nextStep(status.next)
        try context.show(text)
    }
}

/// The roadmap for tools: levels, lessons and exercises with their status.
struct RoadmapJSON: Encodable {
    struct Exercise: Encodable {
        let id: String
        let status: String
        let attempts: Int
        let stagesPassed: Int?
        let stagesTotal: Int?
    }
    struct Lesson: Encodable {
        let id: String
        let number: Int
        let title: String
        let summary: String
        let path: String
        let read: Bool
        let words: Int?
        let readingMinutes: Int?
        let exercises: [Exercise]
        let coming: [String]
    }
    struct Level: Encodable {
        let name: String
        let lessons: [Lesson]
    }
    let title: String
    let levels: [Level]
    let lessonsRead: Int
    let lessonsTotal: Int
    let exercisesPassed: Int
    let exercisesTotal: Int
    let next: String

    init(course: Course, status: LearnerStatus, wordCounts: [String: Int]) {
        title = course.roadmap.title
        levels = course.roadmap.levels.map { level in
            Level(name: level.name, lessons: level.lessons.map { lesson in
                Lesson(id: lesson.id, number: lesson.number, title: lesson.title, summary: lesson.summary,
                       path: "Curriculum/\(lesson.path)", read: status.isRead(lesson), words: wordCounts[lesson.id],
                       readingMinutes: wordCounts[lesson.id].map(RoadmapView.readingMinutes),
                       exercises: lesson.exercises.map { id in
                           let p = status.exercises[id]
                           return Exercise(id: id, status: p == nil ? "new" : (p!.passed ? "passed" : "attempted"),
                                           attempts: p?.attempts ?? 0, stagesPassed: p?.bestStagesPassed, stagesTotal: p?.stagesTotal)
                       }, coming: lesson.coming)
            })
        }
        lessonsRead = status.lessonsRead
        lessonsTotal = course.roadmap.lessons.count
        exercisesPassed = status.exercisesPassed
        exercisesTotal = course.roadmap.exercises.count
        switch status.next {
        case .lesson(let lesson): next = "lesson:\(lesson.id)"
        case .exercise(let id, _): next = "exercise:\(id)"
        case .finished: next = "finished"
        }
    }
}
