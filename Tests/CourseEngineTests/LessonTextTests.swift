import Testing
@testable import CourseEngine

/// The self-check answers: kept out of the lesson a reader meets first, paired one to one
/// with the questions, and every way they can fail to pair is reported with file and line.
@Suite struct LessonTextTests {
    static let path = "Curriculum/lessons/demo.md"

    /// A lesson with `questions` and the given Answers section (nil: none).
    static func lesson(answers: String?) -> String {
        var text = """
        # Demo

        Some text.

        ## Self-check

        1. What is the zero value of a map?
        2. Which call creates a map
           you can write to?
        3. Write a function that returns `[]`:

           ```go
           func f() []int
           ```

        Try them first: `course lesson demo --answers` shows the answers.

        ## Practise

        Build something.

        """
        if let answers { text += "\n## Answers\n\n" + answers }
        return text
    }

    static let goodAnswers = """
    1. `nil`: reads work, writes panic.
    2. `make(map[K]V)` or a literal,
       such as `map[K]V{}`.
    3. ```go
       func f() []int { return []int{} }
       ```

    """

    @Test func theBodyLeavesOutTheAnswers() {
        let text = LessonText(Self.lesson(answers: Self.goodAnswers), displayPath: Self.path)
        #expect(text.body.hasSuffix("Build something.\n"))
        #expect(!text.body.contains("Answers"))
        #expect(!text.body.contains("reads work"))
        #expect(text.answersLine == 22)
        // A lesson without answers is shown whole.
        let plain = Self.lesson(answers: nil)
        #expect(LessonText(plain, displayPath: Self.path).body == plain)
    }

    @Test func questionsAndAnswersPairInOrder() throws {
        let check = try LessonText(Self.lesson(answers: Self.goodAnswers), displayPath: Self.path).selfCheck()
        #expect(check.pairs.map(\.question.line) == [7, 8, 10])
        #expect(check.pairs.map(\.answer.line) == [24, 25, 27])
        #expect(check.pairs[1].question.markdown == "Which call creates a map\nyou can write to?")
        #expect(check.pairs[1].answer.markdown == "`make(map[K]V)` or a literal,\nsuch as `map[K]V{}`.")
        #expect(check.pairs[2].question.markdown == "Write a function that returns `[]`:\n\n```go\nfunc f() []int\n```")
        #expect(check.pairs[2].answer.markdown == "```go\nfunc f() []int { return []int{} }\n```")
    }

    @Test func thePageShowsEachQuestionThenItsAnswer() throws {
        let check = try LessonText(Self.lesson(answers: Self.goodAnswers), displayPath: Self.path).selfCheck()
        let page = check.page(title: "Demo", lessonID: "demo")
        #expect(page.hasPrefix("# Demo: self-check answers\n"))
        let order = ["**Question 1.** What is the zero value", "**Answer.** `nil`", "**Question 2.** Which call",
                     "**Answer.** `make(map[K]V)`", "**Question 3.** Write a function", "**Answer.**\n\n```go\nfunc f() []int { return"]
        var rest = Substring(page)
        for piece in order {
            guard let range = rest.range(of: piece) else {
                Issue.record("the page lacks, or misorders, \(piece.debugDescription):\n\(page)")
                return
            }
            rest = rest[range.upperBound...]
        }
        // It parses as markdown with the code block intact.
        let document = MarkdownDocument(parsing: page)
        #expect(document.allBlocks().contains { $0.kind == .codeBlock(info: "go", code: "func f() []int { return []int{} }\n") })
    }

    @Test func aMissingAnswerNamesTheQuestionsLine() {
        let answers = "1. `nil`.\n2. `make`.\n"
        #expect(throws: CourseError.self) { try LessonText(Self.lesson(answers: answers), displayPath: Self.path).selfCheck() }
        do {
            _ = try LessonText(Self.lesson(answers: answers), displayPath: Self.path).selfCheck()
        } catch let error as CourseError {
            #expect(error.location == "\(Self.path):10")
            #expect(error.message == "self-check question 3 has no answer: the Answers section (line 22) has 2 answers for 3 questions")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyWayOfNotPairingIsReportedWithItsLine() {
        let cases: [(answers: String?, location: String, message: String)] = [
            (nil, "\(Self.path):5", "the lesson has no ## Answers section for its 3 self-check questions"),
            ("1. a\n2. b\n3. c\n4. d\n", "\(Self.path):27", "answer 4 has no question: the Self-check section (line 5) has 3 questions"),
            ("1. a\n2. b\n4. c\n", "\(Self.path):26", "answer 3 is numbered 4"),
            ("- a\n- b\n- c\n", "\(Self.path):22", "the ## Answers section has no numbered list"),
            // An empty item has no text to pair: the next answer takes its place and its number shows it.
            ("1. a\n\n2.\n\n3. c\n", "\(Self.path):28", "answer 2 is numbered 3"),
            ("1. a\n2. b\n3. c\n\n## More\n\nText.\n", "\(Self.path):28", "a section follows ## Answers"),
        ]
        for (answers, location, message) in cases {
            do {
                _ = try LessonText(Self.lesson(answers: answers), displayPath: Self.path).selfCheck()
                Issue.record("no error for answers \(String(describing: answers))")
            } catch let error as CourseError {
                #expect(error.location == location, "for answers \(String(describing: answers))")
                #expect(error.message == message)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func aLessonWithoutSelfCheckSaysSo() {
        #expect(throws: CourseError("the lesson has no ## Self-check section", file: Self.path)) {
            try LessonText("# Demo\n\nText.\n", displayPath: Self.path).selfCheck()
        }
    }
}
