import Foundation

/// A deliberately broken variant of an exercise's program. `course verify` proves the checks
/// by grading every mutant and requiring each to fail at least one check.
///
/// Most mutants are folders, `Exercises/<id>/mutants/<name>/`, found by `course verify`
/// itself, each holding only the files it changes from `solution/go` (see `overlay`); a piece registers the ones it serves in-process (a variant of its reference
/// server) in its `CheckSuite`.
public struct Mutant: Sendable {
    public enum Source: Sendable {
        /// A submission folder, graded like a learner's.
        case folder(URL)
        /// A server the piece runs inside the grader.
        case server(InProcessServer)
        /// A program started with this shell command (no build), like a submission whose
        /// `course.yaml` says `run:` it: a reference or a mutant that must be a real process,
        /// because checks signal it, kill it and start it again.
        case command(String)
        /// A service of a piece run as a process, `course serve NAME ARGUMENTS…`, with the
        /// exercise's variables in its environment (the piece describes its reference this
        /// way; the grader knows where `course` is).
        case service(String, arguments: [String] = [])
    }

    public let name: String
    /// One line: what is broken ("answers only the first line of a connection").
    public let broken: String
    public let source: Source
    /// The stages meant to catch it: the mutant is tried on the exercises that have one of
    /// them (a flaw in `POST /api/v1/users` means nothing to an exercise without it). nil:
    /// every exercise of the suite.
    public let caughtBy: Set<String>?

    public init(name: String, broken: String, source: Source, caughtBy: Set<String>? = nil) {
        self.name = name
        self.broken = broken
        self.source = source
        self.caughtBy = caughtBy
    }

    /// Whether `course verify` tries this mutant on `exercise`.
    public func applies(to exercise: ExerciseManifest) -> Bool {
        guard let caughtBy else { return true }
        return exercise.stages.contains { caughtBy.contains($0.id) }
    }

    /// The file in a mutant folder that says, in one line, what the mutant breaks.
    public static let descriptionFile = "MUTANT.md"

    /// A mutant folder holds only the files it changes: the submission graded is the sample
    /// solution with them laid over it (so thirty mutants are not thirty copies of the
    /// solution that drift from it). Returns the combined folder, inside a temporary folder
    /// of its own that the caller removes.
    public static func overlay(_ mutant: URL, on solution: URL, scratch: Scratch = .current) throws -> URL {
        let container = try scratch.makeFolder("mutant")
        let combined = container.appendingPathComponent(mutant.lastPathComponent)
        if FileManager.default.fileExists(atPath: solution.path) {
            try FileManager.default.copyItem(at: solution, to: combined)
        } else {
            try FileManager.default.createDirectory(at: combined, withIntermediateDirectories: true)
        }
        let files = FileManager.default.enumerator(at: mutant, includingPropertiesForKeys: [.isDirectoryKey])
        while let file = files?.nextObject() as? URL {
            let relative = String(file.standardizedFileURL.path.dropFirst(mutant.standardizedFileURL.path.count + 1))
            guard relative != descriptionFile else { continue }
            let target = combined.appendingPathComponent(relative)
            if (try? file.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            } else {
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: file, to: target)
            }
        }
        return combined
    }

    /// The mutant folders of an exercise, sorted by name. What each breaks is the first line
    /// of its `MUTANT.md`, else a first line `// Mutant: …` in its `main.go`; a folder with
    /// neither gets an empty `broken`, which `course verify` reports.
    public static func folders(of exercise: ExerciseManifest) -> [Mutant] {
        guard let root = exercise.folder?.appendingPathComponent("mutants") else { return [] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in
            let folder = root.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            return Mutant(name: name, broken: description(of: folder), source: .folder(folder))
        }
    }
}

extension Mutant {
    static func description(of folder: URL) -> String {
        func firstLine(_ file: String) -> String {
            let text = (try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        let described = firstLine(descriptionFile)
        if !described.isEmpty { return described }
        let comment = firstLine("main.go")
        let prefix = "// Mutant:"
        return comment.hasPrefix(prefix) ? comment.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) : ""
    }
}

/// A server that runs inside the grader, on threads of its own: a piece's reference server
/// or a broken variant of it. The grader gives it a free port and the exercise's
/// environment, waits until the port accepts, and stops it when grading ends.
public struct InProcessServer: Sendable {
    /// A started instance.
    public struct Instance: Sendable {
        public let stop: @Sendable () async -> Void

        public init(stop: @escaping @Sendable () async -> Void) {
            self.stop = stop
        }
    }

    /// Starts listening on 127.0.0.1:`port` (bind with SO_REUSEADDR: a restart reuses the port).
    public let start: @Sendable (_ port: Int, _ environment: [String: String]) async throws -> Instance

    public init(start: @escaping @Sendable (_ port: Int, _ environment: [String: String]) async throws -> Instance) {
        self.start = start
    }
}
