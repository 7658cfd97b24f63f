import Foundation
import GRDB

// How the result model maps to the gradebook's rows (see `GradebookSchema`), in both
// directions, so `Gradebook` itself only says which rows to write and read.
//
// Every text that can come from a learner's program or manifest goes through
// `VerbatimText`, so it reads back byte for byte.

/// A `run` row: the whole `SubmissionResult` except its stages. Read from `run` joined
/// with `submission` (for exercise, path and learner); written to `run` alone.
struct StoredRun: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "run"
    /// The columns `init(row:)` reads from `run`, selected by name rather than with `*`, so
    /// a column a later migration adds can never shift the others.
    static let readColumns = ["id", "submission_id", "started_at_exact", "duration_seconds", "seed", "versions_json",
                              "content_hash", "sandbox_enabled", "sandbox_note", "build_status", "build_seconds",
                              "build_reason", "output_head", "output_tail", "output_total_bytes", "output_omitted_bytes", "mode"]

    var id: Int64?
    var submissionID: Int64
    /// With `stages` empty when read; they come from `StoredStage`.
    var result: SubmissionResult

    init(submissionID: Int64, result: SubmissionResult) {
        self.submissionID = submissionID
        self.result = result
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["submission_id"] = submissionID
        container["started_at"] = result.startedAt
        container["started_at_exact"] = result.startedAt.timeIntervalSinceReferenceDate
        container["duration_seconds"] = result.durationSeconds
        container["seed"] = String(result.seed)
        container["versions_json"] = try Self.encodeVersions(result.versions)
        container["content_hash"] = result.contentHash
        container["score"] = result.score
        container["max_score"] = result.maxScore
        container["passed"] = result.passed
        container["stages_passed"] = result.stagesPassed
        container["stages_total"] = result.stages.count
        container["summary"] = VerbatimText(result.summary)
        container["sandbox_enabled"] = result.sandbox.enabled
        container["sandbox_note"] = VerbatimText(result.sandbox.note)
        switch result.build {
        case .built(let seconds):
            container["build_status"] = "built"
            container["build_seconds"] = seconds
        case .failed(let reason):
            container["build_status"] = "failed"
            container["build_reason"] = VerbatimText(reason)
        case .notReady(let reason):
            container["build_status"] = "not_ready"
            container["build_reason"] = VerbatimText(reason)
        case .refused(let reason):
            container["build_status"] = "refused"
            container["build_reason"] = VerbatimText(reason)
        }
        container["mode"] = result.mode.rawValue
        container["output_head"] = VerbatimText(result.programOutput.head)
        container["output_tail"] = VerbatimText(result.programOutput.tail)
        container["output_total_bytes"] = result.programOutput.totalBytes
        container["output_omitted_bytes"] = result.programOutput.omittedBytes
    }

    init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        submissionID = try row.decode(forColumn: "submission_id")
        let seedText: String = try row.decode(forColumn: "seed")
        guard let seed = UInt64(seedText) else { throw GradebookDecodingError(column: "run.seed", value: seedText) }
        let build: BuildOutcome
        let status: String = try row.decode(forColumn: "build_status")
        switch status {
        case "built": build = .built(seconds: try row.decode(forColumn: "build_seconds"))
        case "failed": build = .failed(reason: try row.text("build_reason"))
        case "not_ready": build = .notReady(reason: try row.text("build_reason"))
        case "refused": build = .refused(reason: try row.text("build_reason"))
        default: throw GradebookDecodingError(column: "run.build_status", value: status)
        }
        result = SubmissionResult(
            exerciseID: try row.decode(forColumn: "exercise_id"),
            learner: try row.text("learner"),
            path: try row.decode(forColumn: "path"),
            contentHash: try row.decode(forColumn: "content_hash"),
            startedAt: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "started_at_exact")),
            durationSeconds: try row.decode(forColumn: "duration_seconds"),
            seed: seed,
            sandbox: SandboxStatus(enabled: try row.decode(forColumn: "sandbox_enabled"), note: try row.text("sandbox_note")),
            build: build,
            stages: [],
            programOutput: OutputLog(head: try row.text("output_head"), tail: try row.text("output_tail"),
                                     totalBytes: try row.decode(forColumn: "output_total_bytes"),
                                     omittedBytes: try row.decode(forColumn: "output_omitted_bytes")),
            versions: try Self.decodeVersions(try row.decode(forColumn: "versions_json")),
            mode: try Self.decodeMode(try row.decode(forColumn: "mode")))
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    static func decodeMode(_ text: String) throws -> GradingMode {
        guard let mode = GradingMode(rawValue: text) else { throw GradebookDecodingError(column: "run.mode", value: text) }
        return mode
    }

    /// Sorted keys: the same versions always give the same text.
    static func encodeVersions(_ versions: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(versions), as: UTF8.self)
    }

    static func decodeVersions(_ json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw GradebookDecodingError(column: "run.versions_json", value: json)
        }
    }
}

/// A `stage_result` row: one stage, without its checks when read.
struct StoredStage: FetchableRecord, PersistableRecord {
    static let databaseTableName = "stage_result"
    static let readColumns = ["run_id", "ordinal", "position", "stage_id", "name", "hidden", "status", "duration_seconds"]

    var runID: Int64
    var ordinal: Int
    var stage: StageResult

    init(runID: Int64, ordinal: Int, stage: StageResult) {
        self.runID = runID
        self.ordinal = ordinal
        self.stage = stage
    }

    func encode(to container: inout PersistenceContainer) {
        container["run_id"] = runID
        container["ordinal"] = ordinal
        container["position"] = stage.position
        container["stage_id"] = VerbatimText(stage.id)
        container["name"] = VerbatimText(stage.name)
        container["hidden"] = stage.hidden
        container["status"] = stage.status.rawValue
        container["score"] = stage.score
        container["max_score"] = stage.maxScore
        container["duration_seconds"] = stage.durationSeconds
    }

    init(row: Row) throws {
        runID = try row.decode(forColumn: "run_id")
        ordinal = try row.decode(forColumn: "ordinal")
        let statusText: String = try row.decode(forColumn: "status")
        guard let status = StageResult.Status(rawValue: statusText) else {
            throw GradebookDecodingError(column: "stage_result.status", value: statusText)
        }
        stage = StageResult(position: try row.decode(forColumn: "position"), id: try row.text("stage_id"),
                            name: try row.text("name"), hidden: try row.decode(forColumn: "hidden"), status: status,
                            checks: [], durationSeconds: try row.decode(forColumn: "duration_seconds"))
    }
}

/// A `check_result` row: one check and its failure, if any.
struct StoredCheck: FetchableRecord, PersistableRecord {
    static let databaseTableName = "check_result"
    static let readColumns = ["run_id", "stage_ordinal", "ordinal", "check_id", "name", "status", "score", "max_score",
                              "duration_seconds", "failure_message", "failure_sent", "failure_received",
                              "failure_expected", "failure_hint", "program_output"]

    var runID: Int64
    var stageOrdinal: Int
    var ordinal: Int
    var check: CheckResult

    init(runID: Int64, stageOrdinal: Int, ordinal: Int, check: CheckResult) {
        self.runID = runID
        self.stageOrdinal = stageOrdinal
        self.ordinal = ordinal
        self.check = check
    }

    func encode(to container: inout PersistenceContainer) {
        container["run_id"] = runID
        container["stage_ordinal"] = stageOrdinal
        container["ordinal"] = ordinal
        container["check_id"] = VerbatimText(check.id)
        container["name"] = VerbatimText(check.name)
        container["status"] = check.status.rawValue
        container["score"] = check.score
        container["max_score"] = check.maxScore
        container["duration_seconds"] = check.durationSeconds
        container["failure_message"] = check.failure.map { VerbatimText($0.message) }
        container["failure_sent"] = check.failure?.sent.map(VerbatimText.init)
        container["failure_received"] = check.failure?.received.map(VerbatimText.init)
        container["failure_expected"] = check.failure?.expected.map(VerbatimText.init)
        container["failure_hint"] = check.failure?.hint.map(VerbatimText.init)
        container["program_output"] = check.programOutput.map(VerbatimText.init)
    }

    init(row: Row) throws {
        runID = try row.decode(forColumn: "run_id")
        stageOrdinal = try row.decode(forColumn: "stage_ordinal")
        ordinal = try row.decode(forColumn: "ordinal")
        let statusText: String = try row.decode(forColumn: "status")
        guard let status = CheckResult.Status(rawValue: statusText) else {
            throw GradebookDecodingError(column: "check_result.status", value: statusText)
        }
        let failure = try row.optionalText("failure_message").map {
            CheckFailure($0, sent: try row.optionalText("failure_sent"), received: try row.optionalText("failure_received"),
                         expected: try row.optionalText("failure_expected"), hint: try row.optionalText("failure_hint"))
        }
        check = CheckResult(id: try row.text("check_id"), name: try row.text("name"), status: status,
                            score: try row.decode(forColumn: "score"), maxScore: try row.decode(forColumn: "max_score"),
                            durationSeconds: try row.decode(forColumn: "duration_seconds"), failure: failure,
                            programOutput: try row.optionalText("program_output"))
    }
}

/// A value in the file that this version of course cannot read back into the model.
struct GradebookDecodingError: Error, CustomStringConvertible {
    var column: String
    var value: String

    var description: String { "\(column) holds '\(value)', which this version of course does not know" }
}

private extension Row {
    /// Decoding throws (a NULL where the schema forbids one, a file edited by hand) rather
    /// than trapping as the subscripts do.
    func text(_ column: String) throws -> String {
        try decode(VerbatimText.self, forColumn: column).string
    }

    func optionalText(_ column: String) throws -> String? {
        try decode(VerbatimText?.self, forColumn: column)?.string
    }
}
