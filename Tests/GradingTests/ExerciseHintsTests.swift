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

    @Test(arguments: [
        ("## echo\nA\n## nope\nB\n", 3, "no stage 'nope' in this exercise"),
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
