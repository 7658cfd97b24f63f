import Foundation
import Grading
import TCPEchoPiece
import Testing

/// A program that crashes must have the cause on screen: a real Go server that dies of
/// `fatal error: concurrent map writes` with a goroutine dump far longer than any tail,
/// graded by the ordinary grader. The failure shows the message and the line of the
/// learner's code that did it, with paths relative to their folder.
@Suite struct CrashOutputTests {
    static let manifest = """
        title: Echo server
        checks: tcp-echo
        program: server
        ready_seconds: 10
        limits: {build_seconds: 120, stage_seconds: 30, total_seconds: 60, memory_mb: 512, processes: 64, output_kb: 256}
        stages:
          - {id: connect, name: One line}
        """

    /// An echo server that, on its first connection, has eight goroutines write one map
    /// until the runtime notices (it always does, within milliseconds), while forty idle
    /// goroutines make the dump long: the cause is in its first lines only.
    static let crasher = """
        package main

        import (
        \t"fmt"
        \t"net"
        \t"os"
        )

        var seen = map[int]int{}

        func record(n int) {
        \tfor i := 0; ; i++ {
        \t\tseen[i%64] = n
        \t}
        }

        func main() {
        \tfor i := 0; i < 40; i++ {
        \t\tgo func() { select {} }()
        \t}
        \tlistener, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
        \tif err != nil {
        \t\tfmt.Fprintln(os.Stderr, err)
        \t\tos.Exit(1)
        \t}
        \tfmt.Println("crasher: listening")
        \tconn, _ := listener.Accept()
        \tdefer conn.Close()
        \tfor n := 0; n < 8; n++ {
        \t\tgo record(n)
        \t}
        \tselect {}
        }
        """

    @Test func aFatalErrorDeepInAGoroutineDumpIsShownWithTheLineThatCausedIt() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("crasher")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.crasher.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let exercise = try ExerciseManifest.parse(Self.manifest, id: "echo-server", file: "echo-server/exercise.yaml")
        let grader = Grader(registry: PieceRegistry([TCPEcho.piece]), seed: 3, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, folder: folder)

        let check = try #require(result.stages.first?.checks.first)
        #expect(check.status == .error, "the server died: \(check)")
        let failure = try #require(check.failure)
        #expect(failure.message.contains("the server exited with status 2"), "\(failure.description)")
        let received = try #require(failure.received)
        #expect(received.contains("fatal error: concurrent map writes"), "the cause is shown: \(received)")
        #expect(received.contains("main.record(") && received.contains("\tmain.go:13"),
                "the first frame of the learner's code, relative to their folder: \(received)")
        #expect(received.contains("crasher: listening"), "the program's first lines are kept: \(received)")
        #expect(received.contains("lines left out)"), "the dump is cut, and the cut is said: \(received)")
        let all = result.programOutput.text
        #expect(all.components(separatedBy: "\n").count > received.components(separatedBy: "\n").count + 40,
                "the whole dump is far longer than what is shown: \(all.count) characters")
        #expect(check.programOutput == nil, "the output is shown once, in the failure: \(String(describing: check.programOutput))")
    }
}

/// `OutputExcerpt` on its own: what it keeps of long output, of a Go panic, and that it
/// leaves an excerpt (or anything short) as it is.
@Suite struct OutputExcerptTests {
    func numbered(_ count: Int) -> [String] { (1...count).map { "line \($0)" } }

    @Test func shortOutputIsShownWhole() {
        let text = numbered(20).joined(separator: "\n") + "\n"
        #expect(OutputExcerpt.standard.cut(text) == text)
    }

    @Test func longOutputKeepsItsHeadAndTailWithTheGapSaid() {
        let cut = OutputExcerpt(headLines: 2, tailLines: 3).cut(numbered(100).joined(separator: "\n"))
        #expect(cut == "line 1\nline 2\n⋯ (95 lines left out)\nline 98\nline 99\nline 100")
        #expect(OutputExcerpt(headLines: 2, tailLines: 3).cut(cut) == cut, "cutting an excerpt again changes nothing")
    }

    @Test func aPanicFarFromBothEndsIsKeptWithItsFirstUserFrame() {
        var lines = numbered(30)
        lines += [
            "2026/12/01 10:00:00 http: panic serving 127.0.0.1:51234: runtime error: index out of range [3] with length 3",
            "goroutine 7 [running]:",
            "net/http.(*conn).serve.func1()",
            "\t/usr/lib/go-1.19/src/net/http/server.go:1850 +0xbf",
            "panic({0x6392a0, 0xc0000a2000})",
            "\t/usr/lib/go-1.19/src/runtime/panic.go:890 +0x263",
            "main.(*store).get(...)",
            "\t/tmp/scratch/run-1/work/store.go:41",
            "main.listUsers({0x6e4a30, 0xc0000e01c0}, 0x0?)",
            "\t/tmp/scratch/run-1/work/handlers.go:17 +0x1d",
        ]
        lines += numbered(60).map { "after \($0)" }
        let cut = OutputExcerpt.standard.cut(lines.joined(separator: "\n"), folder: "/tmp/scratch/run-1/work")
        #expect(cut.contains("http: panic serving 127.0.0.1:51234: runtime error: index out of range"), "\(cut)")
        #expect(cut.contains("goroutine 7 [running]:"))
        #expect(cut.contains("main.(*store).get(...)\n\tstore.go:41"), "the first frame in the learner's code: \(cut)")
        #expect(!cut.contains("server.go:1850"), "Go's own frames before it are left out: \(cut)")
        #expect(cut.hasPrefix("line 1\n") && cut.hasSuffix("after line 60"), "head and tail stay: \(cut)")
    }

    @Test func aLineTooLongIsCutWithItsLengthSaid() {
        let cut = OutputExcerpt(lineLimit: 50).cut(String(repeating: "x", count: 120))
        #expect(cut == String(repeating: "x", count: 50) + "… (70 more characters)")
    }
}
