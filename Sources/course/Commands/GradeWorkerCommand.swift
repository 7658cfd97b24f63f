import ArgumentParser
import Grading

/// `course grade-worker --request FILE`: the process `course grade` starts per submission
/// (see `GradingWorker`). Not for people: hidden from help.
struct GradeWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade-worker", shouldDisplay: false)

    @Option var request: String

    func run() async throws {
        try await GradingWorker.run(requestFile: request, registry: Pieces.registry)
    }
}
