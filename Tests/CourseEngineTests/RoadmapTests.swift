import Foundation
import Testing
@testable import CourseEngine

@Suite struct RoadmapParserTests {
    static let sample = """
        # A course

        Intro with a [link](https://example.com) that is not a lesson.

        ## Beginner

        1. [First lesson](lessons/first.md): the basics.
           Exercises: `ex-one`, `ex-two`
        2. [Second lesson](lessons/second.md) covers `code` in its summary.
           Coming: `ex-three`

        ## Advanced

        - [Third lesson](lessons/third.md): last.

        ## Empty level

        Some text but no lessons.
        """

    @Test func levelsLessonsAndExercisesInOrder() throws {
        let roadmap = try RoadmapParser().parse(Self.sample)
        #expect(roadmap.title == "A course")
        #expect(roadmap.levels.map(\.name) == ["Beginner", "Advanced"])
        #expect(roadmap.lessons.map(\.id) == ["first", "second", "third"])
        #expect(roadmap.lessons.map(\.number) == [1, 2, 3])
        let first = roadmap.lessons[0]
        #expect(first.title == "First lesson")
        #expect(first.summary == "the basics.")
        #expect(first.exercises == ["ex-one", "ex-two"])
        #expect(first.line == 7)
        #expect(roadmap.lessons[1].coming == ["ex-three"])
        #expect(roadmap.lessons[1].summary == "covers `code` in its summary.")
        #expect(roadmap.lessons[2].level == "Advanced")
        #expect(roadmap.lesson(forExercise: "ex-two")?.id == "first")
    }

    @Test func duplicateLessonsAreReportedWithBothLines() {
        let text = "## L\n\n- [A](a.md)\n- [A again](a.md)\n"
        #expect(throws: CourseError("lesson 'a' is listed twice (first at line 3)", file: "Curriculum/ROADMAP.md", line: 4)) {
            try RoadmapParser().parse(text)
        }
    }

    @Test func aRoadmapWithoutLessonsIsAnError() {
        #expect(throws: CourseError.self) { try RoadmapParser().parse("# Title\n\nJust prose.\n") }
    }

    @Test func exerciseListsAcceptOnlyIds() {
        let text = "## L\n\n- [A](a.md). Exercises: `ok-one`, and also something\n"
        #expect(throws: CourseError.self) { try RoadmapParser().parse(text) }
        let bad = "## L\n\n- [A](a.md). Exercises: `Not_An_Id`\n"
        #expect(throws: CourseError.self) { try RoadmapParser().parse(bad) }
    }

    @Test func lessonsResolveByIdNumberAndPrefixWithSuggestions() throws {
        let roadmap = try RoadmapParser().parse(Self.sample)
        #expect(try roadmap.resolveLesson("second", roadmapPath: "").id == "second")
        #expect(try roadmap.resolveLesson("3", roadmapPath: "").id == "third")
        #expect(try roadmap.resolveLesson("fi", roadmapPath: "").id == "first")
        do {
            _ = try roadmap.resolveLesson("secnod", roadmapPath: "")
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.message == "unknown lesson 'secnod'")
            #expect(error.hint?.contains("'second'") == true)
            #expect(error.exitCode == 2)
        }
    }

    @Test func suggestionsRankCloseIdsFirst() {
        #expect(Suggest.nearest("goroutine", among: ["go-fundamentals", "goroutines-channels", "grpc"]) == ["goroutines-channels"])
        #expect(Suggest.nearest("zzzzzz", among: ["grpc", "testing"]).isEmpty)
        #expect(Suggest.distance("kitten", "sitting") == 3)
    }
}

@Suite struct CourseValidationTests {
    /// Builds a course folder from the sample roadmap with the given lesson files and exercises.
    func makeCourse(lessons: [String] = ["first", "second", "third"], exercises: [String] = ["ex-one", "ex-two"],
                    roadmap: String = RoadmapParserTests.sample) throws -> URL {
        let root = try TestSupport.temporaryFolder()
        try TestSupport.write(roadmap, to: root.appendingPathComponent("Curriculum/ROADMAP.md"))
        for lesson in lessons {
            try TestSupport.write("# \(lesson)\n\nText.\n", to: root.appendingPathComponent("Curriculum/lessons/\(lesson).md"))
        }
        for exercise in exercises {
            try TestSupport.write("# \(exercise)\n", to: root.appendingPathComponent("Exercises/\(exercise)/README.md"))
        }
        return root
    }

    @Test func aValidCourseLoads() throws {
        let course = try Course(root: try makeCourse())
        #expect(course.roadmap.lessons.count == 3)
        #expect(course.exerciseIDs == ["ex-one", "ex-two"])
    }

    @Test func aMissingLessonFileIsReportedAtItsRoadmapLine() throws {
        let root = try makeCourse(lessons: ["first", "third"])
        #expect(throws: CourseError("lesson 'Second lesson' links to lessons/second.md, which does not exist",
                                    file: "Curriculum/ROADMAP.md", line: 9, hint: "create Curriculum/lessons/second.md or fix the link")) {
            try Course(root: root)
        }
    }

    @Test func anUnknownExerciseSuggestsTheNearest() throws {
        let root = try makeCourse(exercises: ["ex-one", "ex-twoo"])
        do {
            _ = try Course(root: root)
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.message.contains("'ex-two'"))
            #expect(error.line == 7)
            #expect(error.hint?.contains("did you mean 'ex-twoo'") == true)
        }
    }

    @Test func aComingExerciseThatExistsMustMove() throws {
        let root = try makeCourse(exercises: ["ex-one", "ex-two", "ex-three"])
        #expect(throws: CourseError.self) { try Course(root: root) }
    }

    @Test func anUnreadableRoadmapNamesTheFile() throws {
        let root = try TestSupport.temporaryFolder()
        #expect(throws: CourseError("file does not exist", file: "Curriculum/ROADMAP.md")) { try Course(root: root) }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let root = try makeCourse()
        let url = root.appendingPathComponent("Curriculum/lessons/second.md")
        try Data("# Second\n\nfine line\nbad \u{FF} here".utf8.map { $0 == 0xC3 ? 0xFF : $0 }).write(to: url)
        let course = try Course(root: root)
        do {
            _ = try course.lessonText(course.roadmap.lessons[1])
            Issue.record("expected an error")
        } catch let error as CourseError {
            #expect(error.file == "Curriculum/lessons/second.md")
            #expect(error.line == 4)
            #expect(error.message.hasPrefix("not valid UTF-8"))
        }
    }

    @Test func overlongAndTruncatedSequencesAreInvalid() {
        #expect(SourceFile.firstInvalidUTF8(Data([0x61, 0x0A, 0xC0, 0x80])) == (2, 2))
        #expect(SourceFile.firstInvalidUTF8(Data([0x61, 0xE2, 0x82])) == (1, 1))
        #expect(SourceFile.firstInvalidUTF8(Data([0xED, 0xA0, 0x80])) == (1, 0))
    }

    @Test func linksBetweenLessonsResolveRelativeToTheLesson() throws {
        let course = try Course(root: try makeCourse())
        let first = course.roadmap.lessons[0]
        #expect(course.linkedLesson("second.md#goals", from: first)?.id == "second")
        #expect(course.linkedLesson("lessons/third.md", from: nil)?.id == "third")
        #expect(course.linkedLesson("https://go.dev/x.md", from: first) == nil)
        #expect(course.linkedLesson("missing.md", from: first) == nil)
    }

    @Test func theRealCurriculumLoads() throws {
        let course = try Course(root: TestSupport.repositoryRoot)
        #expect(course.roadmap.levels.map(\.name) == ["Beginner", "Intermediate", "Advanced"])
        #expect(course.roadmap.lessons.count >= 15)
        for lesson in course.roadmap.lessons {
            let text = try course.lessonText(lesson)
            #expect(text.hasPrefix("# "), "\(lesson.path) starts with its title")
        }
    }

    @Test func rootIsFoundAboveTheExecutable() throws {
        let root = try makeCourse()
        let binFolder = root.appendingPathComponent(".build/release")
        try FileManager.default.createDirectory(at: binFolder, withIntermediateDirectories: true)
        let found = Course.locateRoot(environment: [:], executable: binFolder.appendingPathComponent("course"),
                                      currentDirectory: URL(fileURLWithPath: "/"))
        #expect(found?.standardizedFileURL.path == root.standardizedFileURL.path)
        #expect(Course.locateRoot(environment: ["COURSE_ROOT": "/x/y"], executable: nil, currentDirectory: root)?.path == "/x/y")
    }
}
