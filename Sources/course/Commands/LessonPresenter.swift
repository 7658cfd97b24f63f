import CourseEngine
import Foundation

/// Shows a lesson and records it as read, shared by `course lesson` and `course next`.
struct LessonPresenter {
    let context: CommandContext

    struct LessonJSON: Encodable {
        let id: String
        let number: Int
        let title: String
        let level: String
        let path: String
        let words: Int
        let readingMinutes: Int
        let exercises: [String]
        let coming: [String]
        let markdown: String
    }

    struct AnswersJSON: Encodable {
        struct Pair: Encodable {
            let number: Int
            let question: String
            let answer: String
        }
        let id: String
        let title: String
        let path: String
        let answers: [Pair]
    }

    func present(_ lesson: Roadmap.Lesson, html: Bool = false, output: String? = nil) throws {
        // The lesson without its Answers section: a reader tries the self-check first.
        let text = try context.course.lessonContent(lesson).body
        if html {
            try writeHTML(text, title: lesson.title, output: output)
            return
        }
        if context.options.json {
            let words = RoadmapView.wordCount(text)
            try StandardOutput.json(LessonJSON(id: lesson.id, number: lesson.number, title: lesson.title, level: lesson.level,
                                               path: "Curriculum/\(lesson.path)", words: words,
                                               readingMinutes: RoadmapView.readingMinutes(words: words),
                                               exercises: lesson.exercises, coming: lesson.coming, markdown: text))
            return
        }
        let (store, _) = try context.openStore()
        let renderer = context.renderer(for: lesson)
        var rendered = renderer.render(MarkdownDocument(parsing: text))
        rendered += footer(for: lesson, renderer: renderer)
        let seconds = try context.show(rendered)
        // Shown in full (or the reader quit the pager normally): now it counts as read.
        // A pager left open for hours is not hours of reading: cap one view at 2 hours.
        try store.markLessonRead(lesson.id, seconds: min(seconds ?? 0, 7200))
    }

    /// `course lesson ID --answers`: each self-check question with its answer. Reading the
    /// answers is not reading the lesson, so nothing is recorded.
    func presentAnswers(_ lesson: Roadmap.Lesson, html: Bool = false, output: String? = nil) throws {
        let selfCheck = try context.course.lessonContent(lesson).selfCheck()
        let page = selfCheck.page(title: lesson.title, lessonID: lesson.id)
        if html {
            try writeHTML(page, title: "\(lesson.title): self-check answers", output: output)
            return
        }
        if context.options.json {
            try StandardOutput.json(AnswersJSON(id: lesson.id, title: lesson.title, path: "Curriculum/\(lesson.path)",
                                                answers: selfCheck.pairs.enumerated().map {
                                                    AnswersJSON.Pair(number: $0.offset + 1, question: $0.element.question.markdown,
                                                                     answer: $0.element.answer.markdown)
                                                }))
            return
        }
        _ = try context.show(context.renderer(for: lesson).render(MarkdownDocument(parsing: page)))
    }

    private func writeHTML(_ markdown: String, title: String, output: String?) throws {
        let page = HTMLRenderer.page(markdown: markdown, title: title)
        if let output {
            do {
                try page.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CourseError("cannot write the HTML file: \(error.localizedDescription)", file: output)
            }
            StandardOutput.error("wrote \(output)\n")
        } else {
            try StandardOutput.write(page)
        }
    }

    /// "Lesson 3 of 15 (Beginner). Practise it: `course check x`." and, on a line of its
    /// own, "Next lesson: `course lesson y`.": two things to do, each easy to find.
    private func footer(for lesson: Roadmap.Lesson, renderer: TerminalRenderer) -> String {
        var lines: [MarkdownBlock] = [MarkdownBlock(.thematicBreak, line: 0)]
        var inlines: [MarkdownInline] = [.annotation("Lesson \(lesson.number) of \(context.course.roadmap.lessons.count) (\(lesson.level)).", .muted)]
        if !lesson.exercises.isEmpty {
            inlines += [.text(" Practise it: ")]
            for (index, exercise) in lesson.exercises.enumerated() {
                if index > 0 { inlines.append(.text(index == lesson.exercises.count - 1 ? " and " : ", ")) }
                inlines.append(.code("course check \(exercise)"))
            }
            inlines.append(.text("."))
        } else {
            // Said here, once for every such lesson, rather than in each lesson's text.
            inlines += [.text(" No graded exercise practises this lesson yet: its Practise section is a task you check yourself.")]
        }
        let all = context.course.roadmap.lessons
        if let index = all.firstIndex(where: { $0.id == lesson.id }), index + 1 < all.count {
            inlines += [.lineBreak, .text("Next lesson: "), .code("course lesson \(all[index + 1].id)"), .text(".")]
        }
        lines.append(MarkdownBlock(.paragraph(inlines), line: 0))
        return "\n" + renderer.render(MarkdownDocument(blocks: lines))
    }
}
