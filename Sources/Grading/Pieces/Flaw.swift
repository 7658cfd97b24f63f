/// One deliberate bug a piece's reference service can run with (`course serve NAME --flaw
/// FLAW`, hidden from help): the piece's one table of what each flaw is called, what it
/// breaks and which stages must catch it. `course verify` grades each as a mutant.
public struct Flaw: Sendable, Equatable {
    public let name: String
    /// One line: what is broken ("POST answers 200 instead of 201").
    public let broken: String
    /// The stages meant to catch it; the mutant is tried on exercises that have one of them.
    public let caughtBy: Set<String>

    public init(_ name: String, broken: String, caughtBy: Set<String>) {
        self.name = name
        self.broken = broken
        self.caughtBy = caughtBy
    }
}

extension Array where Element == Flaw {
    /// Each flaw as a mutant: the service run as a process with `--flaw NAME`.
    public func mutants(service: String) -> [Mutant] {
        map { Mutant(name: $0.name, broken: $0.broken, source: .service(service, arguments: ["--flaw", $0.name]), caughtBy: $0.caughtBy) }
    }

    public func named(_ name: String) -> Flaw? { first { $0.name == name } }
}
