import Foundation

/// One line of the class table (`course gradebook`): a submission and its latest grade.
public struct GradebookRow: Sendable, Equatable {
    public var learner: String
    public var path: String
    public var exerciseID: String
    public var score: Double
    public var maxScore: Double
    public var passed: Bool
    public var stagesPassed: Int
    public var stagesTotal: Int
    /// `SubmissionResult.summary` of the latest run.
    public var summary: String
    /// When the latest grading of this submission started.
    public var gradedAt: Date

    public init(learner: String, path: String, exerciseID: String, score: Double, maxScore: Double, passed: Bool,
                stagesPassed: Int, stagesTotal: Int, summary: String, gradedAt: Date) {
        self.learner = learner
        self.path = path
        self.exerciseID = exerciseID
        self.score = score
        self.maxScore = maxScore
        self.passed = passed
        self.stagesPassed = stagesPassed
        self.stagesTotal = stagesTotal
        self.summary = summary
        self.gradedAt = gradedAt
    }
}
