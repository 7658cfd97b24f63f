import Foundation

/// The outcome of grading one submission against one exercise: the full model every report
/// (JSON, JUnit, Gradescope, CSV, HTML) and the gradebook are written from.
public struct SubmissionResult: Codable, Sendable, Equatable {
    /// The exercise id (`users-api`).
    public var exerciseID: String
    /// Who the submission belongs to: the submission folder's name unless its manifest says.
    public var learner: String
    /// The submission folder, as given on the command line.
    public var path: String
    /// SHA-256 of the submission's files (names and contents), hex: a re-grade of unchanged
    /// files can be skipped.
    public var contentHash: String
    public var startedAt: Date
    public var durationSeconds: Double
    /// The seed every check's randomness came from; `--seed` replays it.
    public var seed: UInt64
    /// Whether the submission ran inside the sandbox, and if not, why.
    public var sandbox: SandboxStatus
    /// What happened before any check ran: build failure, never ready… nil when it built.
    public var build: BuildOutcome
    public var stages: [StageResult]
    /// The program's own output (stdout and stderr interleaved), capped; see `OutputLog`.
    public var programOutput: OutputLog
    /// Versions of course and the toolchain used, for reproducibility.
    public var versions: [String: String]
    /// Whether stages stopped at the first failure or all ran (partial credit).
    public var mode: GradingMode

    public init(exerciseID: String, learner: String, path: String, contentHash: String, startedAt: Date,
                durationSeconds: Double, seed: UInt64, sandbox: SandboxStatus, build: BuildOutcome,
                stages: [StageResult], programOutput: OutputLog, versions: [String: String], mode: GradingMode = .staged) {
        self.mode = mode
        self.exerciseID = exerciseID
        self.learner = learner
        self.path = path
        self.contentHash = contentHash
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.seed = seed
        self.sandbox = sandbox
        self.build = build
        self.stages = stages
        self.programOutput = programOutput
        self.versions = versions
    }

    /// Results written before `mode` existed were all graded staged.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exerciseID = try container.decode(String.self, forKey: .exerciseID)
        learner = try container.decode(String.self, forKey: .learner)
        path = try container.decode(String.self, forKey: .path)
        contentHash = try container.decode(String.self, forKey: .contentHash)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
        seed = try container.decode(UInt64.self, forKey: .seed)
        sandbox = try container.decode(SandboxStatus.self, forKey: .sandbox)
        build = try container.decode(BuildOutcome.self, forKey: .build)
        stages = try container.decode([StageResult].self, forKey: .stages)
        programOutput = try container.decode(OutputLog.self, forKey: .programOutput)
        versions = try container.decode([String: String].self, forKey: .versions)
        mode = try container.decodeIfPresent(GradingMode.self, forKey: .mode) ?? .staged
    }

    public var score: Double { stages.reduce(0) { $0 + $1.score } }
    public var maxScore: Double { stages.reduce(0) { $0 + $1.maxScore } }
    /// Every stage passed.
    public var passed: Bool { !stages.isEmpty && stages.allSatisfy { $0.status == .passed } }
    public var stagesPassed: Int { stages.filter { $0.status == .passed }.count }

    /// One line for logs and the progress table: "3/5 stages, 12/20 points" or the failure.
    public var summary: String {
        if case .failed(let reason) = build { return "did not build: \(reason.firstLine)" }
        if case .notReady(let reason) = build { return "never became ready: \(reason.firstLine)" }
        if case .refused(let reason) = build { return "could not be graded: \(reason.firstLine)" }
        if let failed = stages.first(where: { $0.status == .failed }),
           let check = failed.checks.first(where: { $0.status == .failed || $0.status == .error }) {
            let why = failed.hidden ? "a hidden check failed" : check.failure?.message.firstLine ?? check.status.rawValue
            return "stage \(failed.position) '\(failed.name)': \(check.name): \(why)"
        }
        return "\(stagesPassed)/\(stages.count) stages, \(Self.format(score))/\(Self.format(maxScore)) points"
    }

    public static func format(_ points: Double) -> String {
        points == points.rounded() ? String(Int(points)) : String(format: "%.2f", points)
    }
}

/// How the stages were run.
public enum GradingMode: String, Codable, Sendable, Equatable {
    /// In order, stopping at the first stage that fails (later ones are not run): the
    /// learner's loop, and the default of `course grade`.
    case staged
    /// Every stage, each after a failed one from a fresh start of the program: partial
    /// credit (`course grade --all-stages`).
    case allStages = "all-stages"

    public init(allStages: Bool) {
        self = allStages ? .allStages : .staged
    }

    /// How reports say it.
    public var explanation: String {
        switch self {
        case .staged: return "stages run in order and stop at the first that fails"
        case .allStages: return "every stage runs (--all-stages); a stage after a failed one starts the program afresh"
        }
    }
}

/// Whether the program was sandboxed.
public struct SandboxStatus: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// Why not, when not ("bwrap is not installed"); or what confines it when it is.
    public var note: String

    public init(enabled: Bool, note: String) {
        self.enabled = enabled
        self.note = note
    }
}

/// What happened between "here is a folder" and "the program is ready for checks".
public enum BuildOutcome: Codable, Sendable, Equatable {
    /// Built (or nothing to build) in this many seconds.
    case built(seconds: Double)
    /// The build command failed or ran out of time; the reason holds the compiler's output.
    case failed(reason: String)
    /// Built, but the program never became ready (never opened its port, crashed at start).
    case notReady(reason: String)
    /// The submission could not be graded at all: its `course.yaml` is broken, it holds a
    /// file the grader refuses (a FIFO, a device), or the grader failed on it.
    case refused(reason: String)

    public var isBuilt: Bool {
        if case .built = self { return true }
        return false
    }
}

/// One stage: ordered checks that pass or fail together for the stage's status.
public struct StageResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed, failed
        /// An earlier stage failed (or the build did), so this one did not run.
        case notRun = "not_run"
    }

    /// 1-based.
    public var position: Int
    public var id: String
    public var name: String
    /// Hidden stages count in the score; reports show that they failed, never their inputs.
    public var hidden: Bool
    public var status: Status
    public var checks: [CheckResult]
    public var durationSeconds: Double

    public init(position: Int, id: String, name: String, hidden: Bool, status: Status, checks: [CheckResult], durationSeconds: Double) {
        self.position = position
        self.id = id
        self.name = name
        self.hidden = hidden
        self.status = status
        self.checks = checks
        self.durationSeconds = durationSeconds
    }

    public var score: Double { checks.reduce(0) { $0 + $1.score } }
    public var maxScore: Double { checks.reduce(0) { $0 + $1.maxScore } }
}

/// One check.
public struct CheckResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed, failed
        /// The check could not complete for a reason outside the contract (the program
        /// crashed, a limit was hit, the grader itself failed).
        case error
        case notRun = "not_run"
    }

    public var id: String
    public var name: String
    public var status: Status
    public var score: Double
    public var maxScore: Double
    public var durationSeconds: Double
    /// Present when the check failed or errored. For hidden stages this is already the
    /// generic message; the original never leaves the grader.
    public var failure: CheckFailure?
    /// What the program wrote (standard output and error) while a failing check ran, its
    /// last part: often the learner's own log line says why. Never for hidden stages.
    public var programOutput: String?

    public init(id: String, name: String, status: Status, score: Double, maxScore: Double, durationSeconds: Double, failure: CheckFailure? = nil,
                programOutput: String? = nil) {
        self.programOutput = programOutput
        self.id = id
        self.name = name
        self.status = status
        self.score = score
        self.maxScore = maxScore
        self.durationSeconds = durationSeconds
        self.failure = failure
    }
}

/// Why a check failed, in the terms a learner can act on: what was sent, what came back,
/// what was expected, and a hint where one helps.
public struct CheckFailure: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// One line: "expected status 201, got 200".
    public var message: String
    /// The request or input, as the program saw it ("POST /api/v1/users …" or the stdin lines).
    public var sent: String?
    /// The response or output, as it came back.
    public var received: String?
    public var expected: String?
    public var hint: String?
    /// How the check failed, when it tells ways apart that need different help: a short id
    /// (`no-allow`) that `HINTS.md` can key hints to (`## stage/check/no-allow`). Never shown.
    public var tag: String?

    public init(_ message: String, sent: String? = nil, received: String? = nil, expected: String? = nil, hint: String? = nil,
                tag: String? = nil) {
        self.message = message
        self.sent = sent
        self.received = received
        self.expected = expected
        self.hint = hint
        self.tag = tag
    }

    /// The message and every part that is present, as plain text.
    public var description: String {
        var parts = [message]
        if let sent { parts.append("sent:\n\(sent.indentedBlock)") }
        if let received { parts.append("received:\n\(received.indentedBlock)") }
        if let expected { parts.append("expected:\n\(expected.indentedBlock)") }
        if let hint { parts.append("hint: \(hint)") }
        return parts.joined(separator: "\n")
    }
}

/// Captured output of a program, capped: the first and last part are kept and the size of
/// what was cut in between is stated.
public struct OutputLog: Codable, Sendable, Equatable {
    public var head: String
    public var tail: String
    /// Bytes the program wrote in all.
    public var totalBytes: Int
    /// Bytes left out between `head` and `tail`.
    public var omittedBytes: Int

    public init(head: String = "", tail: String = "", totalBytes: Int = 0, omittedBytes: Int = 0) {
        self.head = head
        self.tail = tail
        self.totalBytes = totalBytes
        self.omittedBytes = omittedBytes
    }

    public static let empty = OutputLog()

    /// The log as one text, with a line saying how much was cut.
    public var text: String {
        guard omittedBytes > 0 else { return head + tail }
        let newline = head.hasSuffix("\n") || head.isEmpty ? "" : "\n"
        return head + newline + "[… \(omittedBytes) bytes of output omitted …]\n" + tail
    }
}

extension String {
    var firstLine: String {
        String(split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// Each line indented by four spaces (an empty string shows as "(empty)").
    var indentedBlock: String {
        if isEmpty { return "    (empty)" }
        let body = hasSuffix("\n") ? dropLast() : Substring(self)
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
