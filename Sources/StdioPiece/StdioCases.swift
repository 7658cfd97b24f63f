import CourseEngine
import Foundation
import Grading

/// The stdin/stdout piece: exercises whose checks are data. Each stage is a folder of cases,
/// `cases/<stage-id>/<name>.in` with the expected standard output in `<name>.out`; a check
/// runs the program afresh on the input and compares its output line by line.
///
/// This lets a course author add a program-in, text-out exercise without writing Swift, and
/// it is how the grading engine is proven end to end in the tests.
public enum StdioCases {
    public static let suiteID = "stdio-cases"

    /// The piece as the CLI registers it: data-driven checks, nothing else.
    public static let piece = Piece(id: suiteID, suites: [suite])

    public static let suite = CheckSuite(id: suiteID) { exercise in
        guard let folder = exercise.folder else { return [:] }
        let casesFolder = folder.appendingPathComponent("cases")
        var stages: [String: [Check]] = [:]
        for stage in exercise.stages {
            let stageFolder = casesFolder.appendingPathComponent(stage.id)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: stageFolder.path)) ?? [])
                .filter { $0.hasSuffix(".in") }.map { String($0.dropLast(3)) }.sorted()
            stages[stage.id] = try names.map { name in
                let display = "\(folder.lastPathComponent)/cases/\(stage.id)/\(name)"
                let input = try SourceFile.read(stageFolder.appendingPathComponent("\(name).in"), displayPath: display + ".in")
                let expectedURL = stageFolder.appendingPathComponent("\(name).out")
                guard FileManager.default.fileExists(atPath: expectedURL.path) else {
                    throw CourseError("the case has an input but no expected output", file: display + ".in",
                                      hint: "add \(display).out with the exact standard output expected")
                }
                let expected = try SourceFile.read(expectedURL, displayPath: display + ".out")
                return Check(name, name.replacingOccurrences(of: "-", with: " ")) { context in
                    let run = try await context.runProgram(input: input)
                    try compare(run, expected: expected)
                }
            }
        }
        return stages
    }

    /// Fails with the first difference, showing the input, the output and the expectation.
    static func compare(_ run: ProgramRun, expected: String) throws {
        let sent = excerpt(run.input)
        if let problem = run.problem {
            throw CheckFailure(problem, sent: sent, received: excerpt(run.output.text), expected: excerpt(expected),
                               hint: run.timedOut ? "read standard input until end of file, then exit" : nil)
        }
        let want = lines(expected)
        let got = run.lines
        if got == want { return }
        let index = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        let message: String
        if index >= got.count {
            message = "output ended after \(got.count) line\(got.count == 1 ? "" : "s"); expected \(want.count)"
        } else if index >= want.count {
            message = "output has \(got.count) lines; expected only \(want.count) (line \(index + 1) is extra: \(quote(got[index])))"
        } else {
            message = "line \(index + 1) differs: expected \(quote(want[index])), got \(quote(got[index]))"
        }
        var received = excerpt(run.stdout.text)
        if got.isEmpty && run.output.totalBytes > 0 {
            received += "(standard output was empty; standard error said:)\n" + excerpt(run.output.text)
        }
        throw CheckFailure(message, sent: sent, received: received, expected: excerpt(expected),
                           hint: got.map { $0.trimmingCharacters(in: .whitespaces) } == want.map { $0.trimmingCharacters(in: .whitespaces) }
                               ? "the difference is only in spaces at the start or end of lines" : nil)
    }

    static func lines(_ text: String) -> [String] {
        var text = text
        if text.hasSuffix("\n") { text.removeLast() }
        return text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func quote(_ line: String) -> String {
        "\"" + (line.count > 120 ? String(line.prefix(120)) + "…" : line) + "\""
    }

    /// At most 40 lines, so a failure stays readable.
    static func excerpt(_ text: String) -> String {
        let all = lines(text)
        guard all.count > 40 else { return text }
        return all.prefix(40).joined(separator: "\n") + "\n… (\(all.count - 40) more lines)"
    }
}
