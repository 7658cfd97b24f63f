import Foundation

/// What `course grade` asks of one grading worker, as a JSON file the worker is given the
/// path of: no value from a submission (a folder named `-h`, a learner name) is ever on the
/// worker's command line, where it could be taken for an option.
public struct WorkerRequest: Codable, Sendable, Equatable {
    public var exerciseFolder: String
    /// How messages name the manifest's folder (`Exercises/ID`).
    public var exerciseDisplayFolder: String?
    public var submission: String
    public var seed: UInt64
    public var lastStage: Int?
    public var allStages: Bool
    public var sandbox: Bool
    /// Where the worker writes its `SubmissionResult`.
    public var resultFile: String
    /// The scratch owner of the `course grade` run (see `Scratch`).
    public var scratchOwner: String
    public var temporaryDirectory: String
    /// The pid of `course grade`: the worker ends when it does.
    public var parent: Int32
    public var versions: [String: String]
    /// The Go module proxy's folder, readable inside the sandbox (nil: none here).
    public var goProxy: String?

    public init(exerciseFolder: String, exerciseDisplayFolder: String?, submission: String, seed: UInt64, lastStage: Int?,
                allStages: Bool, sandbox: Bool, resultFile: String, scratchOwner: String, temporaryDirectory: String,
                parent: Int32, versions: [String: String], goProxy: String? = nil) {
        self.exerciseFolder = exerciseFolder
        self.exerciseDisplayFolder = exerciseDisplayFolder
        self.submission = submission
        self.seed = seed
        self.lastStage = lastStage
        self.allStages = allStages
        self.sandbox = sandbox
        self.resultFile = resultFile
        self.scratchOwner = scratchOwner
        self.temporaryDirectory = temporaryDirectory
        self.parent = parent
        self.versions = versions
        self.goProxy = goProxy
    }
}
