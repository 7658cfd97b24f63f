/// A lesson file split into what a reader meets first and the answers to its self-check.
///
/// A lesson ends with a `## Answers` section: a numbered list with one answer per question
/// of its `## Self-check` section, in the same order. The answers live in the lesson file,
/// next to what they are written from, but a reader should try the questions first: the
/// lesson is shown without that section (`body`), and `course lesson ID --answers` shows
/// each question with its answer (`selfCheck()`).
public struct LessonText: Sendable {
    /// The whole file.
    public let source: String
    /// Shown in errors: `Curriculum/lessons/ID.md`.
    public let displayPath: String
    /// The lesson without its Answers section (the whole file when it has none).
    public let body: String
    /// Line of the `## Answers` heading, nil when the lesson has no Answers section.
    public let answersLine: Int?

    static let questionsHeading = "Self-check"
    static let answersHeading = "Answers"

    public init(_ source: String, displayPath: String) {
        self.source = source
        self.displayPath = displayPath
        let document = MarkdownDocument(parsing: source)
        let answers = document.blocks.first { Self.isSection($0, Self.answersHeading) }
        answersLine = answers?.line
        if let line = answers?.line {
            var kept = Array(Self.lines(source).prefix(line - 1))
            while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
            body = kept.joined(separator: "\n") + "\n"
        } else {
            body = source
        }
    }

    /// The questions of the Self-check section paired with the items of the Answers
    /// section. Throws, naming the file and line, when the two do not pair up one to one:
    /// no Answers section, a question without an answer, an answer without a question,
    /// answers not numbered 1, 2, 3… in order (an empty item, which has no text to pair,
    /// shows up that way), or an Answers section that is not the last section of the lesson.
    public func selfCheck() throws -> SelfCheck {
        let document = MarkdownDocument(parsing: source)
        let blocks = document.blocks
        guard let questionsIndex = blocks.firstIndex(where: { Self.isSection($0, Self.questionsHeading) }) else {
            throw CourseError("the lesson has no ## Self-check section", file: displayPath)
        }
        let questionsLine = blocks[questionsIndex].line
        guard let questionList = Self.firstList(in: blocks, after: questionsIndex) else {
            throw CourseError("the ## Self-check section has no list of questions", file: displayPath, line: questionsLine)
        }
        let lines = Self.lines(source)
        let questions = Self.items(of: questionList, in: blocks, lines: lines)
        guard let answersIndex = blocks.firstIndex(where: { Self.isSection($0, Self.answersHeading) }) else {
            throw CourseError("the lesson has no ## Answers section for its \(questions.count) self-check questions",
                              file: displayPath, line: questionsLine,
                              hint: "end the lesson with `## Answers` and a numbered list, one answer per question, in order")
        }
        let answersLine = blocks[answersIndex].line
        if let later = Self.nextSection(in: blocks, after: answersIndex) {
            throw CourseError("a section follows ## Answers", file: displayPath, line: later.line,
                              hint: "keep ## Answers the last section: `course lesson` leaves out everything from it on")
        }
        guard let answerList = Self.firstList(in: blocks, after: answersIndex), Self.isOrderedList(blocks[answerList]) else {
            throw CourseError("the ## Answers section has no numbered list", file: displayPath, line: answersLine,
                              hint: "write the answers as `1. …`, `2. …`, one per self-check question, in order")
        }
        let answers = Self.items(of: answerList, in: blocks, lines: lines)
        for (index, answer) in answers.enumerated() {
            if answer.number != index + 1 {
                throw CourseError("answer \(index + 1) is numbered \(answer.number.map(String.init) ?? "without a number")",
                                  file: displayPath, line: answer.line,
                                  hint: "number the answers 1, 2, 3… in the order of the questions they answer")
            }
        }
        if answers.count < questions.count {
            let missing = questions[answers.count]
            throw CourseError("self-check question \(answers.count + 1) has no answer: the Answers section (line \(answersLine)) has \(answers.count) answers for \(questions.count) questions",
                              file: displayPath, line: missing.line,
                              hint: "add its answer to ## Answers, in the same position as the question")
        }
        if answers.count > questions.count {
            let extra = answers[questions.count]
            throw CourseError("answer \(questions.count + 1) has no question: the Self-check section (line \(questionsLine)) has \(questions.count) questions",
                              file: displayPath, line: extra.line)
        }
        return SelfCheck(pairs: zip(questions, answers).map { SelfCheck.Pair(question: $0.0.item, answer: $0.1.item) })
    }

    // MARK: Reading the source

    struct SourceItem {
        var line: Int
        var number: Int?
        var markdown: String
        var item: SelfCheck.Item { SelfCheck.Item(line: line, markdown: markdown) }
    }

    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    static func isOrderedList(_ block: MarkdownBlock) -> Bool {
        if case .list(let list) = block.kind { return list.ordered }
        return false
    }

    /// The first heading of level 1 or 2 after the block at `index`.
    static func nextSection(in blocks: [MarkdownBlock], after index: Int) -> MarkdownBlock? {
        for block in blocks[(index + 1)...] {
            if let level = headingLevel(block), level <= 2 { return block }
        }
        return nil
    }

    static func headingLevel(_ block: MarkdownBlock) -> Int? {
        if case .heading(let level, _) = block.kind { return level }
        return nil
    }

    static func isSection(_ block: MarkdownBlock, _ title: String) -> Bool {
        if case .heading(2, let content) = block.kind {
            return content.plainText.trimmingCharacters(in: .whitespaces) == title
        }
        return false
    }

    /// Index of the first list between the heading at `index` and the next heading.
    static func firstList(in blocks: [MarkdownBlock], after index: Int) -> Int? {
        for i in (index + 1)..<blocks.count {
            if headingLevel(blocks[i]) != nil { return nil }
            if case .list = blocks[i].kind { return i }
        }
        return nil
    }

    /// The source of each item of the list at `index`, without its marker and with the
    /// item's indentation removed, so it reads as markdown on its own.
    static func items(of index: Int, in blocks: [MarkdownBlock], lines: [Substring]) -> [SourceItem] {
        guard case .list(let list) = blocks[index].kind else { return [] }
        let starts = list.items.compactMap { $0.first?.line }
        // The list ends where the next top-level block starts (or at the end of the file).
        let end = index + 1 < blocks.count ? blocks[index + 1].line - 1 : lines.count
        return starts.enumerated().map { k, start in
            let last = k + 1 < starts.count ? starts[k + 1] - 1 : end
            var chunk = Array(lines[(start - 1)..<min(last, lines.count)])
            while let tail = chunk.last, tail.allSatisfy(\.isWhitespace) { chunk.removeLast() }
            let (number, width) = marker(chunk.first ?? "")
            var out: [String] = []
            for (n, line) in chunk.enumerated() {
                if n == 0 {
                    out.append(String(line.dropFirst(width)))
                } else {
                    let indent = line.prefix { $0 == " " }.count
                    out.append(String(line.dropFirst(min(indent, width))))
                }
            }
            return SourceItem(line: start, number: number, markdown: out.joined(separator: "\n"))
        }
    }

    /// The list marker at the start of `line` (`1. `, `- `, `* `): its number for ordered
    /// lists, and the width up to the item's text, which is also the item's indentation.
    static func marker(_ line: Substring) -> (number: Int?, width: Int) {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] == " " { i += 1 }
        var number: Int?
        if i < chars.count, "-*+".contains(chars[i]) {
            i += 1
        } else {
            var digits = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            guard !digits.isEmpty, i < chars.count, chars[i] == "." || chars[i] == ")" else { return (nil, 0) }
            number = Int(digits)
            i += 1
        }
        while i < chars.count, chars[i] == " " { i += 1 }
        return (number, i)
    }
}

/// A lesson's self-check: each question with its answer, as markdown.
public struct SelfCheck: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        /// Line of the item in the lesson file.
        public let line: Int
        public let markdown: String
    }

    public struct Pair: Sendable, Equatable {
        public let question: Item
        public let answer: Item
    }

    public let pairs: [Pair]

    /// The page `course lesson ID --answers` shows: every question, then its answer.
    public func page(title: String, lessonID: String) -> String {
        var out = "# \(title): self-check answers\n\n"
        out += "Try each question before you read its answer. The lesson itself: `course lesson \(lessonID)`.\n"
        for (index, pair) in pairs.enumerated() {
            out += "\n---\n\n"
            out += Self.labelled("Question \(index + 1).", pair.question.markdown) + "\n\n"
            out += Self.labelled("Answer.", pair.answer.markdown) + "\n"
        }
        return out
    }

    /// `markdown` with a bold label in front: on its first line when that line is a
    /// paragraph's text, else as a paragraph of its own (a code block or a list must start
    /// on a line of its own to stay one).
    static func labelled(_ label: String, _ markdown: String) -> String {
        let first = markdown.prefix { $0 != "\n" }
        let startsBlock = ["```", "~~~", "- ", "* ", "+ ", ">", "|", "#", "    "].contains { first.hasPrefix($0) }
            || LessonText.marker(first).number != nil
        return startsBlock ? "**\(label)**\n\n\(markdown)" : "**\(label)** \(markdown)"
    }
}
