import CourseEngine
import Foundation

/// A variable the grader can fill for a learner's program, named in an exercise manifest's
/// `environment` (DESIGN.md: `PORT`, `DATABASE_PATH`, `JWT_SECRET`, `UPSTREAM_URL`…). Pieces
/// declare the ones they know; a manifest naming one no piece declares is an error with its
/// file and line. Checks read the values given from `CheckContext.variables`.
public struct ProgramVariable: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A free port on 127.0.0.1, chosen per start of a server program.
        case port
        /// A random secret of this many bytes, in hex, derived from the run's seed (so a run
        /// replays), never a constant a program could hard-code.
        case secret(bytes: Int)
        /// A file in the work folder, the one place the sandbox lets the program write that
        /// outlives one run of it (`DATABASE_PATH` survives a restart).
        case dataFile(String)
        /// The address of the named service of the piece, started for the run.
        case service(String)
        /// A fixed value; a check may start the program with another.
        case value(String)
    }

    public let name: String
    public let source: Source
    /// One line for people: what the program does with it.
    public let summary: String

    public init(_ name: String, _ source: Source, summary: String) {
        self.name = name
        self.source = source
        self.summary = summary
    }

    /// The port a server listens on: every server exercise has it.
    public static let port = ProgramVariable("PORT", .port, summary: "the port to listen on, on 127.0.0.1")
}

extension PieceRegistry {
    /// Throws, naming the manifest's file and line, when the exercise lists a variable no
    /// piece declares (a typo would otherwise leave the program without it, silently).
    public func checkVariables(of exercise: ExerciseManifest) throws {
        for name in exercise.environment where variable(name) == nil {
            let near = Suggest.nearest(name, among: Array(variables.keys))
            throw CourseError("'environment' names \(name), which no piece defines", file: exercise.file,
                              line: exercise.environmentLines[name],
                              hint: near.isEmpty ? "variables the pieces define: \(variables.keys.sorted().joined(separator: ", "))"
                                                 : "did you mean \(near[0])?")
        }
    }

    /// The services the exercise's variables need, by name, in the manifest's order.
    func services(for exercise: ExerciseManifest) -> [ServiceDefinition] {
        var names: [String] = []
        for name in exercise.environment {
            if case .service(let service)? = variable(name)?.source, !names.contains(service) { names.append(service) }
        }
        return names.compactMap { service($0) }
    }

    /// The value of every variable the exercise lists except `PORT` (set per start):
    /// secrets from the seed, data files through `dataFile`, service addresses from `services`.
    func values(for exercise: ExerciseManifest, seed: UInt64, services: RunningServices?,
                dataFile: (String) throws -> String) throws -> [String: String] {
        try checkVariables(of: exercise)
        var values: [String: String] = [:]
        for name in exercise.environment {
            guard let variable = variable(name) else { continue }
            switch variable.source {
            case .port:
                break
            case .secret(let bytes):
                var random = SeededRandom(seed: seed, label: name)
                var hex = ""
                while hex.count < bytes * 2 { hex += String(format: "%016llx", random.next()) }
                values[name] = String(hex.prefix(bytes * 2))
            case .dataFile(let file):
                values[name] = try dataFile(file)
            case .service(let service):
                values[name] = services?.address(of: service)
            case .value(let value):
                values[name] = value
            }
        }
        return values
    }
}
