import CounterPiece
import CourseEngine
import Foundation
import Grading
import Testing

/// The engine's service path, with the counter fixture piece's real service and a real
/// program (a Python script that forwards its input lines to `$COUNTER_ADDR`): the service
/// starts before the program, its address reaches the program in the variable, checks read
/// its recording as the piece's own type, it is reset before every check, and it is stopped
/// when grading ends (its port refuses connections afterwards).
@Suite struct CompanionServiceTests {
    static let manifest = """
        title: Service probe
        checks: service-probe
        program: stdio
        environment:
          - COUNTER_ADDR
        limits: {stage_seconds: 60, total_seconds: 120}
        stages:
          - {id: first, name: First}
          - {id: second, name: Second}
        """

    /// Forwards each input line to the service and prints each answer; prints the address first.
    static let program = """
        import os, socket, sys
        host, port = os.environ["COUNTER_ADDR"].rsplit(":", 1)
        print("address " + os.environ["COUNTER_ADDR"], flush=True)
        connection = socket.create_connection((host, int(port)))
        replies = connection.makefile("r")
        for line in sys.stdin:
            connection.sendall(line.encode())
            print(replies.readline().strip(), flush=True)
        """

    /// Ports of the services started, in order (the test's own record, beside the grader's).
    final class Ports: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Int] = []
        func add(_ port: Int) { lock.withLock { list.append(port) } }
        var all: [Int] { lock.withLock { list } }
    }

    static func registry(ports: Ports) -> PieceRegistry {
        let counter = CounterFixture.service
        let watched = ServiceDefinition(name: counter.name, summary: counter.summary, defaultPort: 0, options: counter.options,
                                        address: counter.address) { launch in
            let instance = try await counter.start(launch)
            ports.add(instance.port)
            return instance
        }
        let suite = CheckSuite(id: "service-probe", stages: [
            "first": [
                Check("forwards", "the program reaches the service at its variable") { context in
                    let run = try await context.runProgram(input: "INCR apple\nINCR apple\nGET apple\n")
                    let counter = try context.service(CounterFixture.key)
                    let address = "127.0.0.1:\(counter.port)"
                    guard context.variables["COUNTER_ADDR"] == address, run.lines == ["address \(address)", "1", "2", "2"] else {
                        throw CheckFailure("unexpected output", received: run.output.text, expected: "address \(address)\n1\n2\n2")
                    }
                    let recording = counter.recording
                    guard recording.commands.map(\.line) == ["INCR apple", "INCR apple", "GET apple"], recording.connectionsOpened == 1,
                          recording.commands.allSatisfy({ $0.connection == 1 && $0.answered >= $0.received }) else {
                        throw CheckFailure("unexpected recording: \(recording)")
                    }
                },
            ],
            "second": [
                Check("reset", "the next check starts from a reset service") { context in
                    let counter = try context.service(CounterFixture.key)
                    guard counter.recording == CounterRecording() else {
                        throw CheckFailure("the recording was not reset: \(counter.recording)")
                    }
                    counter.set("pear", to: 41)
                    let run = try await context.runProgram(input: "GET apple\nINCR pear\n")
                    guard run.lines.dropFirst() == ["0", "42"] else {
                        throw CheckFailure("counts were not reset, or set counts were not seen", received: run.output.text)
                    }
                },
            ],
        ])
        return PieceRegistry([Piece(id: "probe", suites: [suite], services: [watched], variables: CounterFixture.piece.variables)])
    }

    static func submission() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "track: python\nrun: python3 forward.py\n".write(to: folder.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        try program.write(to: folder.appendingPathComponent("forward.py"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func theServiceServesTheProgramAndTheChecksThenStops() async throws {
        let ports = Ports()
        let exercise = try ExerciseManifest.parse(Self.manifest, id: "probe", file: "probe/exercise.yaml")
        let folder = try Self.submission()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grader = Grader(registry: Self.registry(ports: ports), seed: 5, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, folder: folder)
        #expect(result.passed, "\(result.stages.flatMap(\.checks).compactMap(\.failure))")
        #expect(ports.all.count == 1, "one service for the whole run: \(ports.all)")
        for port in ports.all {
            #expect(LoopbackSocket.refuses(port: port), "the service on port \(port) still accepts after grading")
        }
    }

    @Test func aVariableNoPieceDefinesIsAnErrorWithItsLine() async throws {
        let text = Self.manifest.replacingOccurrences(of: "- COUNTER_ADDR", with: "- COUNTER_ADDRESS")
        let exercise = try ExerciseManifest.parse(text, id: "probe", file: "probe/exercise.yaml")
        let folder = try Self.submission()
        defer { try? FileManager.default.removeItem(at: folder) }
        let grader = Grader(registry: Self.registry(ports: Ports()), seed: 5, runOptions: SubmissionRun.Options())
        await #expect {
            _ = try await grader.grade(exercise: exercise, folder: folder)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("probe/exercise.yaml:5: 'environment' names COUNTER_ADDRESS, which no piece defines")
                && text.contains("did you mean COUNTER_ADDR?")
        }
    }
}
