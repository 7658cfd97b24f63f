import Foundation

/// One check: a named piece of behaviour a stage tests, with a weight that shares out the
/// stage's points. It passes by returning and fails by throwing a `CheckFailure`; any other
/// error is reported as an error of the check (a crash of the program, a broken pipe).
public struct Check: Sendable {
    public let id: String
    public let name: String
    public let weight: Double
    public let body: @Sendable (CheckContext) async throws -> Void

    public init(_ id: String, _ name: String, weight: Double = 1, _ body: @escaping @Sendable (CheckContext) async throws -> Void) {
        self.id = id
        self.name = name
        self.weight = weight
        self.body = body
    }
}

/// The checks of one exercise family, by stage id, as a piece registers them. The exercise
/// manifest names the suite and orders its stages.
public struct CheckSuite: Sendable {
    public let id: String
    /// Builds the checks for an exercise: most suites are fixed code, some read data from the
    /// exercise's folder (cases of input and expected output).
    let make: @Sendable (ExerciseManifest) throws -> [String: [Check]]
    /// The piece's own server for these checks (in-process, or a command): `course verify`
    /// requires it to pass every stage of the exercises it serves, like the sample solution.
    public var reference: Reference?
    /// Broken servers the piece provides; `course verify` requires each to fail a check.
    /// (Mutant folders in the exercise are found without being registered.)
    public var mutants: [Mutant]

    /// A piece's reference program and the stages it serves (nil: all of the suite's).
    public struct Reference: Sendable {
        public let source: Mutant.Source
        public let stages: Set<String>?

        public init(_ source: Mutant.Source, stages: Set<String>? = nil) {
            self.source = source
            self.stages = stages
        }

        public static func server(_ server: InProcessServer) -> Reference { Reference(.server(server)) }

        /// Whether `course verify` grades the reference on `exercise`: it must serve every stage.
        public func serves(_ exercise: ExerciseManifest) -> Bool {
            guard let stages else { return true }
            return exercise.stages.allSatisfy { stages.contains($0.id) }
        }
    }

    public init(id: String, stages: [String: [Check]], reference: Reference? = nil, mutants: [Mutant] = []) {
        self.init(id: id, reference: reference, mutants: mutants) { _ in stages }
    }

    public init(id: String, reference: Reference? = nil, mutants: [Mutant] = [],
                make: @escaping @Sendable (ExerciseManifest) throws -> [String: [Check]]) {
        self.id = id
        self.make = make
        self.reference = reference
        self.mutants = mutants
    }

    public func stages(for exercise: ExerciseManifest) throws -> [String: [Check]] {
        try make(exercise)
    }
}
