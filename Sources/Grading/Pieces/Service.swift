import Foundation

/// A server a piece owns: a companion that a learner's program talks to while it is checked
/// (the pipeline's instrumented upstream, the reference cache in cache-aside, a users API
/// backend), and what `course serve NAME` runs for learners to try. One definition serves
/// both: the grader starts it on a free port before the program and passes its address in
/// the variable that names it; `course serve` starts it on the port asked for and prints
/// what it records as it happens.
public struct ServiceDefinition: Sendable {
    /// `course serve NAME`.
    public let name: String
    /// One line for `course serve --help`.
    public let summary: String
    /// More for `course serve NAME --help`: what it answers, what it prints.
    public let discussion: String
    /// The port `course serve NAME` uses without `--port`.
    public let defaultPort: Int
    /// Its own options for `course serve NAME` (beyond `--port`).
    public let options: [ServiceOption]
    /// How its address is written in a program's variable.
    public let address: AddressForm
    /// Left out of `course serve --help` (fixtures of the course's own tests).
    public let hidden: Bool
    public let start: @Sendable (ServiceLaunch) async throws -> any ServiceInstance

    public init(name: String, summary: String, discussion: String = "", defaultPort: Int, options: [ServiceOption] = [],
                address: AddressForm, hidden: Bool = false,
                start: @escaping @Sendable (ServiceLaunch) async throws -> any ServiceInstance) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.defaultPort = defaultPort
        self.options = options
        self.address = address
        self.hidden = hidden
        self.start = start
    }

    public enum AddressForm: Sendable {
        /// `http://127.0.0.1:PORT`
        case http
        /// `127.0.0.1:PORT`
        case hostPort

        public func address(port: Int) -> String {
            switch self {
            case .http: return "http://127.0.0.1:\(port)"
            case .hostPort: return "127.0.0.1:\(port)"
            }
        }
    }
}

/// What a service is started with.
public struct ServiceLaunch: Sendable {
    /// The port on 127.0.0.1; 0 lets the system choose (read it back from the instance).
    public let port: Int
    public let options: ServiceOptionValues
    /// The run's seed, for services with randomness (jitter, failure rates): a seed replays.
    public let seed: UInt64
    /// Where `course serve` prints what the service records as it happens (nil under the
    /// grader, where checks read the recording instead).
    public let log: (@Sendable (String) -> Void)?

    public init(port: Int, options: ServiceOptionValues = ServiceOptionValues(), seed: UInt64 = 0,
                log: (@Sendable (String) -> Void)? = nil) {
        self.port = port
        self.options = options
        self.seed = seed
        self.log = log
    }
}

/// A started service. Checks get the piece's own type through a `ServiceKey` and read what
/// it recorded or reconfigure it; the grader resets it before every check and stops it when
/// the run ends.
public protocol ServiceInstance: AnyObject, Sendable {
    /// The port it listens on, on 127.0.0.1.
    var port: Int { get }
    /// Back to how it started: recordings forgotten, configuration as launched. The grader
    /// calls it before every check, so each check reads only what happened during it.
    func reset() async
    /// Stops (letting requests in flight finish where the service can) and returns once
    /// nothing of it is left: no thread, no connection, no listening socket.
    func stop() async
}

/// A typed handle on a service, for checks: `context.service(Upstream.key)` is the piece's
/// own instance type, with its recording and its settings.
public struct ServiceKey<Instance: ServiceInstance>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}
