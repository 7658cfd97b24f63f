import CourseEngine
import Testing
@testable import Grading

/// HINTS.md: sections per stage, hints split at `---`, code blocks left whole, mistakes
/// reported with their line.
@Suite struct ExerciseHintsTests {
    let stages = ["echo", "edges", "large"]

    @Test func hintsAreSplitPerStageAtSeparators() throws {
        let text = """
            # Hints

            ## echo

            First: read stdin.

            ---

            Second, with code:

            ```go
            // --- not a separator
            ## not a heading
            ```

            ## large
            Only one.
            """
        let hints = try ExerciseHints.parse(text, stageIDs: stages, file: "HINTS.md")
        #expect(hints.hints(for: "echo").map(\.markdown) == ["First: read stdin.",
                                                             "Second, with code:\n\n```go\n// --- not a separator\n## not a heading\n```"])
        #expect(hints.hints(for: "echo").map(\.line) == [5, 9])
        #expect(hints.hints(for: "edges").isEmpty)
        #expect(hints.hints(for: "large").map(\.markdown) == ["Only one."])
    }

    @Test func separatorsInsideAFenceDoNotSplit() throws {
        let hints = try ExerciseHints.parse("## echo\n~~~\na\n---\nb\n~~~\n", stageIDs: stages, file: "HINTS.md")
        #expect(hints.hints(for: "echo").count == 1)
    }

    @Test func hintsForACheckAndHowItFailedComeBeforeTheStages() throws {
        let text = """
            ## echo
            Stage hint.
            ## echo/one-line
            Check hint.
            ## echo/one-line/no-newline
            How-it-failed hint.
            ## edges/unicode
            Another check.
            """
        let hints = try ExerciseHints.parse(text, stageIDs: stages, file: "HINTS.md")
        let tagged = hints.hints(for: "echo", check: "one-line", tag: "no-newline")
        #expect(tagged.key == "echo/one-line/no-newline")
        #expect(tagged.hints.map(\.markdown) == ["How-it-failed hint.", "Check hint.", "Stage hint."])
        let otherTag = hints.hints(for: "echo", check: "one-line", tag: "other")
        #expect(otherTag.key == "echo/one-line" && otherTag.hints.map(\.markdown) == ["Check hint.", "Stage hint."])
        let otherCheck = hints.hints(for: "echo", check: "three-lines", tag: nil)
        #expect(otherCheck.key == "echo" && otherCheck.hints.map(\.markdown) == ["Stage hint."])
        let onlyCheck = hints.hints(for: "edges", check: "unicode", tag: nil)
        #expect(onlyCheck.key == "edges/unicode" && onlyCheck.hints.map(\.markdown) == ["Another check."], "a stage without hints of its own")
        #expect(hints.hints(for: "large", check: nil, tag: nil).hints.isEmpty)
        #expect(hints.checkSections.map { "\($0.stage)/\($0.check):\($0.line)" } == ["echo/one-line:3", "echo/one-line:5", "edges/unicode:7"])
    }

    @Test(arguments: [
        ("## echo\nA\n## nope\nB\n", 3, "no stage 'nope' in this exercise"),
        ("## nope/check\nA\n", 1, "no stage 'nope' in this exercise"),
        ("## echo/one line\nA\n", 1, "'echo/one line' is not a section name"),
        ("## echo//x\nA\n", 1, "'echo//x' is not a section name"),
        ("## echo/a/b/c\nA\n", 1, "'echo/a/b/c' is not a section name"),
        ("## echo/a\nA\n## echo/a\nB\n", 3, "a second section for 'echo/a'"),
        ("## echo\nA\n## echo\nB\n", 3, "a second section for the stage 'echo'"),
        ("# Hints\nIntro text\n## echo\nA\n", 2, "text before the first stage section"),
        ("##\nA\n", 1, "a '##' heading needs a stage id"),
        ("## echo\n```\nnever closed\n", 4, "a code block is never closed"),
    ])
    func mistakesAreReportedWithTheirLine(text: String, line: Int, message: String) throws {
        #expect {
            try ExerciseHints.parse(text, stageIDs: stages, file: "Exercises/x/HINTS.md")
        } throws: { error in
            guard let error = error as? CourseError else { return false }
            return error.file == "Exercises/x/HINTS.md" && error.line == line && error.message == message
        }
    }
}
