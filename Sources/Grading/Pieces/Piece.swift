/// One piece of the course, as the CLI registers it (the only place pieces are named): its
/// check suites, the services it owns, and the program variables it can fill. Adding a piece
/// is its own module plus one line in the CLI's registry; nothing in the engines changes.
///
/// A suite carries its reference and mutants (`CheckSuite.reference`, `.mutants`); a piece
/// whose reference is one of its services describes it as `.service(name)`, and its flaws
/// as one `Flaw` table (see `Flaw.mutants(of:)`), so no check builds a command line.
public struct Piece: Sendable {
    /// The piece's name (`users-api`, `pipeline`).
    public let id: String
    public var suites: [CheckSuite]
    /// Servers the piece owns: companions a learner's program talks to while it is checked,
    /// and what `course serve NAME` runs.
    public var services: [ServiceDefinition]
    /// The variables (beyond `PORT`) the piece knows how to fill for a program.
    public var variables: [ProgramVariable]

    public init(id: String, suites: [CheckSuite], services: [ServiceDefinition] = [], variables: [ProgramVariable] = []) {
        self.id = id
        self.suites = suites
        self.services = services
        self.variables = variables
    }
}

/// Every registered piece, looked up by what manifests and commands name: suites by the
/// manifest's `checks`, variables by its `environment`, services by `course serve NAME`.
public struct PieceRegistry: Sendable {
    public let pieces: [Piece]
    /// The `course` executable, for references and mutants run as `course serve NAME`
    /// (nil in tests that only run in-process servers).
    public let executable: String?
    public let suites: [String: CheckSuite]
    public let services: [String: ServiceDefinition]
    public let variables: [String: ProgramVariable]

    /// Registers `pieces`. Two pieces claiming one suite, service or variable name is a
    /// programming error, stopped at start-up (every CLI test would fail on it).
    public init(_ pieces: [Piece], executable: String? = nil) {
        self.pieces = pieces
        self.executable = executable
        var suites: [String: CheckSuite] = [:]
        var services: [String: ServiceDefinition] = [:]
        var variables: [String: ProgramVariable] = [ProgramVariable.port.name: .port]
        for piece in pieces {
            for suite in piece.suites {
                precondition(suites[suite.id] == nil, "two pieces register the check suite '\(suite.id)'")
                suites[suite.id] = suite
            }
            for service in piece.services {
                precondition(services[service.name] == nil, "two pieces register the service '\(service.name)'")
                services[service.name] = service
            }
            for variable in piece.variables {
                if let known = variables[variable.name] {
                    precondition(known.source == variable.source, "pieces define the variable \(variable.name) in two ways")
                }
                if case .service(let name) = variable.source {
                    precondition(piece.services.contains { $0.name == name }, "\(variable.name) names the service '\(name)', which piece '\(piece.id)' does not own")
                }
                variables[variable.name] = variable
            }
        }
        self.suites = suites
        self.services = services
        self.variables = variables
    }

    public func suite(_ id: String) -> CheckSuite? { suites[id] }
    public func service(_ name: String) -> ServiceDefinition? { services[name] }
    public func variable(_ name: String) -> ProgramVariable? { variables[name] }
}
